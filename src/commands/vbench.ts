/**
 * `pyramid-bench vbench`: VBench's quality dimensions and its leaderboard aggregate.
 * - `score <results.json>...`: the 16 dimensions and Quality / Semantic / Total from VBench results files;
 * - `eval <videos>`: computes the dimensions the harness can and writes VBench-shaped results plus per-video JSON;
 * - `videos <samples.npz>`: writes a sample store as VBench-named `{prompt}-{index}.mp4` files;
 * - `published [--table <file>]`: published rows (the shipped ones, or a CSV/JSON table).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeVideo } from '../data/video.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { aggregate, type MissingPolicy } from '../vbench/aggregate.ts';
import { COMPUTABLE, dimension, type ComputableDimension, type DimensionId } from '../vbench/dimensions.ts';
import { evaluateVideos } from '../vbench/evaluate.ts';
import { readManifest } from '../vbench/manifest.ts';
import { perPromptIndices, vbenchFileName } from '../vbench/naming.ts';
import { PUBLISHED_ROWS, parsePublished } from '../vbench/published.ts';
import { formatOutcomes, formatPublished, formatScoreTable } from '../vbench/report.ts';
import { formatResults, mergeResults, parseResults, substituteBackbone, type VbenchResults } from '../vbench/results.ts';
import { listVideoSources, sampleStoreSources } from '../vbench/sources.ts';
import { loadToolkit } from '../vbench/toolkit.ts';
import { IMAGING_QUALITY_MODES, type ImagingQualityMode } from '../vbench/video/transforms.ts';
import { integerOption, UsageError, type Command } from './command.ts';

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

function numberOption(value: string | undefined, name: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${name} is '${value}'; allowed: a number > 0`);
  return n;
}

async function score(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { missing: { type: 'string', default: 'error' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('vbench score needs at least one VBench results file (<name>_eval_results.json)');
  if (values.missing !== 'error' && values.missing !== 'zero')
    throw new UsageError(`--missing is '${values.missing}'; allowed: error, zero`);
  const { results } = mergeResults(positionals.map((f) => ({ results: parseResults(readJson(f, 'results file'), f), source: f })));
  const scores: Partial<Record<DimensionId, number>> = {};
  const notes: Partial<Record<DimensionId, string>> = {};
  for (const [id, r] of Object.entries(results) as [DimensionId, NonNullable<VbenchResults[DimensionId]>][]) {
    scores[id] = r.score;
    const sub = substituteBackbone(r);
    // the consistency dimensions swap a feature backbone; the others swap RAFT or AMT for the harness's own method
    const what = id === 'subject_consistency' || id === 'background_consistency' ? 'substitute backbone' : 'substitute network';
    if (sub) notes[id] = `${what}: ${sub.replace(/substitute:/g, '')}`;
  }
  const agg = aggregate(scores, values.missing as MissingPolicy);
  if (values.json) {
    const percent = (x: number) => Math.round(x * 1e6) / 1e4;
    process.stdout.write(
      `${JSON.stringify({
        quality: percent(agg.quality),
        semantic: percent(agg.semantic),
        total: percent(agg.total),
        dimensions: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, percent(v)])),
        normalised: agg.normalised,
        defaulted: agg.defaulted,
        notes,
        files: positionals,
      })}\n`,
    );
    return;
  }
  process.stdout.write(
    `VBench aggregate (scripts/cal_final_score.py) of ${positionals.join(', ')}\n\n${formatScoreTable(scores, agg, notes)}\n`,
  );
}

async function evaluate(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      dims: { type: 'string' },
      manifest: { type: 'string' },
      out: { type: 'string', default: 'reports/vbench' },
      name: { type: 'string', default: 'pyramid-bench' },
      fps: { type: 'string' },
      'no-static-filter': { type: 'boolean', default: false },
      'static-per-prompt': { type: 'string', default: '5' },
      'imaging-mode': { type: 'string', default: 'longer' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError('vbench eval needs one video input: a video file, a folder of videos or frame folders, or a sample store (.npz)');
  const dims = (values.dims ? values.dims.split(',') : [...COMPUTABLE]).map((d) => {
    const id = dimension(d, '--dims').id;
    if (!(COMPUTABLE as readonly string[]).includes(id))
      throw new UsageError(
        `--dims: '${id}' needs networks the harness cannot run (a semantic dimension); allowed: ${COMPUTABLE.join(', ')}`,
      );
    return id as ComputableDimension;
  });
  const mode = values['imaging-mode'] as ImagingQualityMode;
  if (!IMAGING_QUALITY_MODES.includes(mode))
    throw new UsageError(`--imaging-mode is '${mode}'; allowed: ${IMAGING_QUALITY_MODES.join(', ')}`);
  if (!/^[A-Za-z0-9._-]+$/.test(values.name!))
    throw new UsageError(`--name is '${values.name}'; allowed: letters, digits, '.', '_' and '-'`);
  const sources = listVideoSources(positionals[0], { fps: numberOption(values.fps, 'fps') });
  const toolkit = await loadToolkit(values.manifest ? readManifest(values.manifest) : null, { imagingMode: mode });
  const started = performance.now();
  const { outcomes, videos } = await evaluateVideos(sources, toolkit, {
    dims,
    staticFilter: !values['no-static-filter'],
    staticPerPrompt: integerOption(values['static-per-prompt'], 'static-per-prompt', 0)!,
    onVideo: (v, s) => process.stderr.write(`[vbench] ${v.video_path}: ${v.frames} frames ${v.width}x${v.height}, ${s.toFixed(2)} s\n`),
  });
  const out = values.out!;
  const results: VbenchResults = Object.fromEntries(outcomes.filter((o) => o.result !== null).map((o) => [o.id, o.result!]));
  const resultsFile = path.join(out, `${values.name}_eval_results.json`);
  writeFileAtomic(resultsFile, formatResults(results));
  videos.forEach((v, i) =>
    writeFileAtomic(
      path.join(
        out,
        'per-video',
        `${String(i).padStart(4, '0')}-${path
          .basename(v.video_path)
          .replace(/[^A-Za-z0-9._-]+/g, '_')
          .slice(0, 80)}.json`,
      ),
      `${JSON.stringify(v, null, 2)}\n`,
    ),
  );
  const summary = {
    input: positionals[0],
    videos: videos.length,
    seconds: (performance.now() - started) / 1000,
    dimensions: outcomes.map((o) => ({
      id: o.id,
      computation: o.computation,
      method: o.method,
      score: o.result?.score ?? null,
      videos: o.result?.videos.length ?? 0,
      seconds: o.seconds,
      frames: o.frames,
      framesPerSecond: o.seconds > 0 ? o.frames / o.seconds : null,
    })),
    resultsFile,
  };
  writeFileAtomic(path.join(out, `${values.name}_summary.json`), `${JSON.stringify(summary, null, 2)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${formatOutcomes(outcomes)}\n\nwrote ${resultsFile}, ${path.join(out, `${values.name}_summary.json`)} and ${videos.length} per-video files in ${path.join(out, 'per-video')}\n`,
    );
}

async function exportVideos(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      prompt: { type: 'string' },
      prompts: { type: 'string' },
      fps: { type: 'string', default: '8' },
      format: { type: 'string', default: 'mp4' },
    },
  });
  if (positionals.length !== 1 || path.extname(positionals[0]) !== '.npz')
    throw new UsageError('vbench videos needs one sample store (.npz)');
  if (!values.out) throw new UsageError('--out is required: the folder to write {prompt}-{index}.<format> files to');
  if ((values.prompt === undefined) === (values.prompts === undefined))
    throw new UsageError('give exactly one of --prompt <text> (every sample) or --prompts <file.json> (an array, one prompt per sample)');
  if (!['mp4', 'webm', 'gif'].includes(values.format!)) throw new UsageError(`--format is '${values.format}'; allowed: mp4, webm, gif`);
  const fps = numberOption(values.fps, 'fps')!;
  const sources = sampleStoreSources(positionals[0], fps);
  let prompts: string[];
  if (values.prompt !== undefined) prompts = sources.map(() => values.prompt!);
  else {
    const raw = readJson(values.prompts!, 'prompts file');
    if (!Array.isArray(raw) || raw.length !== sources.length || raw.some((p) => typeof p !== 'string')) {
      throw new UsageError(
        `prompts file ${values.prompts} must be a JSON array of ${sources.length} strings (one per sample in ${positionals[0]})`,
      );
    }
    prompts = raw as string[];
  }
  const indices = perPromptIndices(prompts);
  for (let i = 0; i < sources.length; i++) {
    const clip = await sources[i].load();
    await writeVideo(
      path.join(values.out, vbenchFileName(prompts[i], indices[i], `.${values.format}`)),
      clip.frames,
      clip.width,
      clip.height,
      fps,
    );
  }
  process.stdout.write(`wrote ${sources.length} videos named {prompt}-{index}.${values.format} to ${values.out}\n`);
}

async function published(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { table: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  let rows = PUBLISHED_ROWS;
  if (values.table) {
    const ext = path.extname(values.table).toLowerCase();
    if (ext !== '.csv' && ext !== '.json') throw new UsageError(`--table ${values.table}: allowed formats .csv and .json`);
    rows = parsePublished(readFileSync(values.table, 'utf8'), ext === '.csv' ? 'csv' : 'json', values.table);
  }
  process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : `${formatPublished(rows)}\n`);
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<void>> = { score, eval: evaluate, videos: exportVideos, published };

export const vbenchCommand: Command = {
  async run(argv) {
    const [sub, ...rest] = argv;
    const run = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!run) throw new UsageError(`vbench subcommand '${sub ?? ''}' is not known; allowed: ${Object.keys(SUBCOMMANDS).join(', ')}`);
    await run(rest);
  },
};
