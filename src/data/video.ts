/**
 * Video files through ffmpeg/ffprobe: probing, decoding to RGB24 frames (height x width x 3, uint8, as OpenCV
 * frames converted to RGB), and encoding frames to mp4 (H.264, yuv420p), webm (VP9) or gif (palette). Writes are
 * atomic (a temporary file, then a rename).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** File extensions read as videos (through ffmpeg) when listing folders. */
export const VIDEO_EXTENSIONS = ['.mp4', '.webm', '.gif', '.avi', '.mov', '.mkv'];

/** What ffprobe says about a video's first video stream. */
export interface VideoInfo {
  readonly width: number;
  readonly height: number;
  /** Average frame rate (frames per second). */
  readonly fps: number;
  /** Frame count when the container states it (or counted frames), else null. */
  readonly frames: number | null;
  readonly durationSeconds: number | null;
  readonly codec: string;
}

/** Decoded frames, each RGB24 of height x width x 3. */
export interface DecodedVideo {
  readonly info: VideoInfo;
  readonly frames: Uint8Array[];
}

/** Thrown when ffmpeg is missing or a file cannot be read or written. */
export class VideoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoError';
  }
}

function requireTool(tool: 'ffmpeg' | 'ffprobe'): void {
  const r = spawnSync(tool, ['-version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) throw new VideoError(`${tool} is not installed; ./setup.sh installs Debian's ffmpeg`);
}

/** The demuxer ffmpeg may use for each readable extension, and the bytes such a file starts with. */
const CONTAINERS: Readonly<Record<string, { demuxer: string; what: string; magic: (head: Buffer) => boolean }>> = {
  '.mp4': { demuxer: 'mov', what: 'an MP4/QuickTime file', magic: (h) => isMovAtom(h) },
  '.mov': { demuxer: 'mov', what: 'an MP4/QuickTime file', magic: (h) => isMovAtom(h) },
  '.webm': { demuxer: 'matroska', what: 'a WebM/Matroska file', magic: (h) => h.readUInt32BE(0) === 0x1a45dfa3 },
  '.mkv': { demuxer: 'matroska', what: 'a WebM/Matroska file', magic: (h) => h.readUInt32BE(0) === 0x1a45dfa3 },
  '.gif': { demuxer: 'gif', what: 'a GIF file', magic: (h) => h.toString('latin1', 0, 4) === 'GIF8' },
  '.avi': {
    demuxer: 'avi',
    what: 'an AVI file',
    magic: (h) => h.toString('latin1', 0, 4) === 'RIFF' && h.toString('latin1', 8, 12) === 'AVI ',
  },
};

function isMovAtom(head: Buffer): boolean {
  return ['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot'].includes(head.toString('latin1', 4, 8));
}

/**
 * The ffmpeg/ffprobe input arguments that read `file` as the one container its extension names and nothing else:
 * the file's first bytes are checked first (a text playlist named `.mp4` is refused here), then ffmpeg is given
 * the demuxer (`-f`), a demuxer whitelist (no nested playlists or concat lists) and the file protocol only
 * (`file:` prefix, so a name is never read as a URL).
 */
function inputArgs(file: string): string[] {
  const ext = path.extname(file).toLowerCase();
  const container = CONTAINERS[ext];
  if (!container) throw new VideoError(`video ${file}: cannot read '${ext}' files; allowed: ${Object.keys(CONTAINERS).join(', ')}`);
  const head = Buffer.alloc(16);
  let got: number;
  try {
    const fd = openSync(file, 'r');
    try {
      got = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new VideoError(`video ${file} cannot be read: ${(error as Error).message}`);
  }
  if (got < 12 || !container.magic(head))
    throw new VideoError(
      `video ${file}: its first bytes (${JSON.stringify(head.toString('latin1', 0, Math.min(got, 8)))}) are not those of ${container.what}; allowed: a ${ext} file of that container (playlists and other formats are not read)`,
    );
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    container.demuxer,
    '-f',
    container.demuxer,
    '-i',
    `file:${path.resolve(file)}`,
  ];
}

function parseRate(rate: string | undefined): number {
  if (!rate) return NaN;
  const [a, b] = rate.split('/').map(Number);
  return b ? a / b : a;
}

/** Reads width, height, fps, frame count and codec of a video file. */
export function probeVideo(file: string): VideoInfo {
  if (!existsSync(file)) throw new VideoError(`video ${file} does not exist`);
  requireTool('ffprobe');
  const r = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,codec_name,duration',
      '-of',
      'json',
      ...inputArgs(file),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new VideoError(`ffprobe cannot read ${file}: ${r.stderr.trim()}`);
  const stream = JSON.parse(r.stdout).streams?.[0];
  if (!stream) throw new VideoError(`${file} has no video stream`);
  let fps = parseRate(stream.avg_frame_rate);
  if (!Number.isFinite(fps) || fps <= 0) fps = parseRate(stream.r_frame_rate);
  const frames = Number(stream.nb_frames);
  const duration = Number(stream.duration);
  return {
    width: stream.width,
    height: stream.height,
    fps: Number.isFinite(fps) && fps > 0 ? fps : NaN,
    frames: Number.isFinite(frames) && frames > 0 ? frames : null,
    durationSeconds: Number.isFinite(duration) ? duration : null,
    codec: stream.codec_name ?? 'unknown',
  };
}

/** Decodes every frame (or the first `maxFrames`) of a video to RGB24 at its native size. */
export async function readVideo(file: string, options: { maxFrames?: number } = {}): Promise<DecodedVideo> {
  const info = probeVideo(file);
  requireTool('ffmpeg');
  const args = ['-v', 'error', ...inputArgs(file), '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-fps_mode', 'passthrough'];
  if (options.maxFrames !== undefined) args.push('-frames:v', String(options.maxFrames));
  args.push('pipe:1');
  const frameBytes = info.width * info.height * 3;
  const chunks: Buffer[] = [];
  let stderr = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new VideoError(`ffmpeg cannot decode ${file}: ${stderr.trim()}`);
  const all = Buffer.concat(chunks);
  if (all.length % frameBytes !== 0)
    throw new VideoError(`${file}: decoded ${all.length} bytes, not a whole number of ${info.width}x${info.height} RGB frames`);
  const frames: Uint8Array[] = [];
  for (let o = 0; o < all.length; o += frameBytes) frames.push(new Uint8Array(all.subarray(o, o + frameBytes)));
  return { info: { ...info, frames: frames.length }, frames };
}

/** Encoding settings by container (from the file extension). */
function encoderArgs(ext: string, fps: number): string[] {
  switch (ext) {
    case '.mp4':
      // H.264 needs even sizes; pad with the edge rather than scale, so pixels are not resampled
      return [
        '-vf',
        'pad=ceil(iw/2)*2:ceil(ih/2)*2',
        '-c:v',
        'libx264',
        '-preset',
        'medium',
        '-crf',
        '12',
        '-pix_fmt',
        'yuv420p',
        '-threads',
        '1',
        '-movflags',
        '+faststart',
      ];
    case '.webm':
      return ['-c:v', 'libvpx-vp9', '-lossless', '1', '-threads', '1'];
    case '.gif':
      return ['-vf', `fps=${fps},split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none`, '-loop', '0'];
    case '.avi':
      return ['-c:v', 'ffv1'];
    default:
      throw new VideoError(`cannot write '${ext}' videos; allowed: .mp4, .webm, .gif, .avi`);
  }
}

/** Encodes RGB24 frames (height x width x 3 each) to a video file chosen by its extension, atomically. */
export async function writeVideo(file: string, frames: readonly Uint8Array[], width: number, height: number, fps: number): Promise<void> {
  if (frames.length === 0) throw new VideoError(`writeVideo ${file}: no frames`);
  frames.forEach((f, i) => {
    if (f.length !== width * height * 3)
      throw new VideoError(`writeVideo ${file}: frame ${i} has ${f.length} bytes, expected ${width}x${height}x3`);
  });
  if (!(fps > 0)) throw new VideoError(`writeVideo ${file}: fps ${fps} must be > 0`);
  requireTool('ffmpeg');
  const ext = path.extname(file).toLowerCase();
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file, ext)}.${process.pid}.tmp${ext}`);
  const args = [
    '-v',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${width}x${height}`,
    '-r',
    String(fps),
    '-i',
    'pipe:0',
    ...encoderArgs(ext, fps),
    '-fflags',
    '+bitexact',
    tmp,
  ];
  let stderr = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
    child.stdin.on('error', () => undefined);
    for (const f of frames) child.stdin.write(f);
    child.stdin.end();
  });
  if (code !== 0) {
    rmSync(tmp, { force: true });
    throw new VideoError(`ffmpeg cannot write ${file}: ${stderr.trim()}`);
  }
  renameSync(tmp, file);
}
