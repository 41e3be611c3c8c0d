/**
 * `pyramid-bench stats`: feature statistics of an input (image folder, videos, an .npz of samples, shapes:..)
 * through an extractor, written as a statistics file in our format (mergeable: `--start/--count` shards merge
 * bit for bit with `stats --merge`) or in pytorch-fid's, clean-fid's or guided-diffusion's format.
 */
import { checkAllocation } from '../core/memory-limits.ts';
import { openClipSource, type ClipSource } from '../data/clip-sources.ts';
import type { FeatureExtractor } from '../features/extractor.ts';
import { extractStatistics } from '../features/extract-stats.ts';
import { openExtractor } from '../features/registry.ts';
import { mergeStats, moments } from '../metrics/feature-stats.ts';
import { readStatsFile, STATS_FORMATS, writeStatsFile, type StatsFormat, type StatsMeta } from '../metrics/stats-file.ts';
import { integerOption, UsageError, type Command } from './command.ts';
import { parseInputArgs } from './input-options.ts';

async function merge(files: string[], out: string, json: boolean): Promise<void> {
  if (files.length < 2) throw new UsageError('--merge needs at least two statistics files (shards in row order)');
  const parts = files.map((f) => {
    const s = readStatsFile(f);
    if (!s.state)
      throw new UsageError(
        `${f} has no streaming state (it was written with --no-state or by another tool); only pyramid-bench statistics with state merge`,
      );
    return s;
  });
  const names = new Set(parts.map((p) => JSON.stringify(p.meta?.extractor)));
  if (names.size > 1) throw new UsageError(`the shards come from different extractors: ${[...names].join(' and ')}`);
  const state = parts.map((p) => p.state!).reduce((a, b) => mergeStats(a, b));
  const m = moments(state);
  const meta: StatsMeta = { ...parts[0].meta!, input: parts.map((p) => p.meta?.input ?? '?').join(' + ') };
  writeStatsFile(out, 'pyramid-bench', { mu: m.mu, sigma: m.sigma, count: m.count, meta, state });
  const summary = { out, count: m.count, dim: state.dim, shards: files.length, extractor: meta.extractor };
  process.stdout.write(
    json
      ? `${JSON.stringify(summary)}\n`
      : `wrote ${out}: ${m.count} feature vectors of dimension ${state.dim} merged from ${files.length} shards\n`,
  );
}

/**
 * Refuses, before extraction, a format that keeps what this machine cannot hold: every feature vector
 * (`clean-fid-kid`: rows x d float32) or every image (`adm`: rows x H x W x 3 uint8, the size of the first input).
 */
async function checkKept(format: StatsFormat, source: ClipSource, extractor: FeatureExtractor, start: number, rows: number): Promise<void> {
  const usage = (m: string) => new UsageError(m);
  const inputs = `${rows} inputs of ${source.description}`;
  if (format === 'clean-fid-kid' && extractor.info.dim !== null) {
    const d = extractor.info.dim;
    checkAllocation(rows * d * 4, '--format clean-fid-kid', `keeping ${inputs} as ${d}-dimensional float32 features`, usage);
  }
  if (format === 'adm') {
    const [first] = await source.read(start, 1);
    if (first)
      checkAllocation(
        rows * first.height * first.width * 3,
        '--format adm',
        `keeping ${inputs} as ${first.width}x${first.height} RGB images (arr_0)`,
        usage,
      );
  }
}

/** The `stats` command; its name, summary and usage are in `index.ts`. */
export const statsCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseInputArgs(argv, {
      out: { type: 'string', short: 'o' },
      format: { type: 'string', default: 'pyramid-bench' },
      start: { type: 'string', default: '0' },
      count: { type: 'string' },
      'no-state': { type: 'boolean', default: false },
      merge: { type: 'boolean', default: false },
    });
    if (!values.out) throw new UsageError('-o/--out is required: the statistics file to write');
    if (values.merge) return merge(positionals, values.out, values.json!);
    if (positionals.length !== 1)
      throw new UsageError(`stats takes one input, got ${positionals.length}: ${positionals.join(' ') || '(none)'}`);
    if (!values.extractor) throw new UsageError('--extractor is required: a name (see `pyramid-bench list`) or a manifest file');
    const format = values.format as StatsFormat;
    if (!STATS_FORMATS.includes(format)) throw new UsageError(`--format is '${values.format}'; allowed: ${STATS_FORMATS.join(', ')}`);
    const start = integerOption(values.start, 'start', 0)!;
    const count = integerOption(values.count, 'count', 2);
    const extractor = await openExtractor(values.extractor);
    const frame = integerOption(values.frame, 'frame', 0);
    // video decoding stops at the frames the extractor reads (or the one frame asked for)
    const source = openClipSource(positionals[0], { frame, maxFrames: frame === undefined ? extractor.info.framesNeeded : frame + 1 });
    try {
      await checkKept(format, source, extractor, start, count ?? Math.max(0, source.count - start));
      const started = performance.now();
      const result = await extractStatistics(source, extractor, {
        start,
        count,
        keepFeatures: format === 'clean-fid-kid',
        keepImages: format === 'adm',
      });
      const m = moments(result.stats);
      const meta: StatsMeta = {
        format: 'pyramid-bench-stats',
        version: 1,
        extractor: { name: extractor.info.name, version: extractor.info.version },
        input: source.description,
        start,
        resize: extractor.info.resize ?? null,
      };
      writeStatsFile(values.out, format, {
        mu: m.mu,
        sigma: m.sigma,
        count: m.count,
        meta,
        ...(values['no-state'] ? {} : { state: result.stats }),
        ...(result.features ? { features: result.features } : {}),
        ...(result.images ? { images: result.images } : {}),
      });
      const seconds = (performance.now() - started) / 1000;
      const summary = {
        out: values.out,
        format,
        count: m.count,
        dim: m.mu.length,
        start,
        extractor: meta.extractor,
        input: source.description,
        seconds,
      };
      process.stdout.write(
        values.json
          ? `${JSON.stringify(summary)}\n`
          : `wrote ${values.out} (${format}): ${m.count} feature vectors of dimension ${m.mu.length} from ${source.description}, extractor ${extractor.info.name} ${extractor.info.version}, ${seconds.toFixed(1)} s\n`,
      );
    } finally {
      source.close();
      await extractor.close();
    }
  },
};
