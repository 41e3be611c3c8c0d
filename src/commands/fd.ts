/**
 * `pyramid-bench fd <a> <b>`: the Fréchet distance between two statistics files or inputs (inputs go through
 * `--extractor`), printing the value and the sample counts; a is the generated side and b the reference (as
 * torch-fidelity's input1/input2), which matters for precision/recall only; `--kid` and `--pr` add KID and precision/recall
 * where features are available (inputs, clean-fid KID files); `--json` prints one object with the distance
 * under `fd`.
 */
import { openExtractor } from '../features/registry.ts';
import type { FeatureExtractor } from '../features/extractor.ts';
import { featureSide as side } from '../features/feature-side.ts';
import { FRECHET_COMPAT, frechetFromMoments } from '../metrics/frechet.ts';
import { kernelInceptionDistance } from '../metrics/kid.ts';
import { precisionRecall } from '../metrics/precision-recall.ts';
import type { LinalgChoice } from '../metrics/native-linalg.ts';
import { integerOption, UsageError, type Command } from './command.ts';
import { parseInputArgs } from './input-options.ts';

/** The `fd` command; its name, summary and usage are in `index.ts`. */
export const fdCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseInputArgs(argv, {
      compat: { type: 'string', default: 'none' },
      backend: { type: 'string', default: 'auto' },
      kid: { type: 'boolean', default: false },
      'kid-subsets': { type: 'string', default: '100' },
      'kid-subset-size': { type: 'string', default: '1000' },
      pr: { type: 'boolean', default: false },
    });
    if (positionals.length !== 2) throw new UsageError(`fd takes two statistics files or inputs, got ${positionals.length}`);
    if (!(values.compat! in FRECHET_COMPAT))
      throw new UsageError(`--compat is '${values.compat}'; allowed: ${Object.keys(FRECHET_COMPAT).join(', ')}`);
    if (!['auto', 'openblas', 'typescript'].includes(values.backend!))
      throw new UsageError(`--backend is '${values.backend}'; allowed: auto, openblas, typescript`);
    const needFeatures = values.kid! || values.pr!;
    let opened: FeatureExtractor | undefined;
    const extractor = async () => {
      if (!values.extractor)
        throw new UsageError(
          `an input needs --extractor (a name from \`pyramid-bench list\` or a manifest file) unless both arguments are statistics files`,
        );
      opened ??= await openExtractor(values.extractor);
      return opened;
    };
    try {
      const frame = integerOption(values.frame, 'frame', 0);
      const a = await side(positionals[0], extractor, needFeatures, frame);
      const b = await side(positionals[1], extractor, needFeatures, frame);
      if (a.extractor && b.extractor && a.extractor !== b.extractor) {
        throw new UsageError(
          `the two sides come from different extractors: ${a.what} from ${a.extractor}, ${b.what} from ${b.extractor}; their distance means nothing`,
        );
      }
      if (a.gaussian.mu.length !== b.gaussian.mu.length)
        throw new UsageError(`feature dimensions differ: ${a.what} has ${a.gaussian.mu.length}, ${b.what} has ${b.gaussian.mu.length}`);
      const r = frechetFromMoments(a.gaussian, b.gaussian, {
        ...FRECHET_COMPAT[values.compat as keyof typeof FRECHET_COMPAT],
        backend: values.backend as LinalgChoice,
        sources: [a.what, b.what],
      });
      const extra: Record<string, unknown> = {};
      if (needFeatures) {
        const missing = [a, b].filter((s) => !s.features).map((s) => s.what);
        if (missing.length)
          throw new UsageError(
            `KID and precision/recall need every feature vector; ${missing.join(' and ')} hold(s) only mean and covariance (pass an input, a clean-fid KID file or a guided-diffusion reference batch with arr_0)`,
          );
        if (values.kid) {
          const kid = kernelInceptionDistance(a.features!, b.features!, {
            subsets: integerOption(values['kid-subsets'], 'kid-subsets', 1),
            subsetSize: integerOption(values['kid-subset-size'], 'kid-subset-size', 2),
          });
          extra.kid = {
            mean: kid.kid,
            std: kid.std,
            subsets: kid.subsets,
            subsetSize: kid.subsetSize,
            protocol: kid.protocol,
            seed: kid.seed,
          };
        }
        if (values.pr) {
          // a is the generated side, b the reference (real) side
          const pr = precisionRecall(b.features!, a.features!);
          extra.precision = pr.precision;
          extra.recall = pr.recall;
          extra.fScore = pr.fScore;
        }
      }
      const counts = [a.gaussian.count, b.gaussian.count];
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ fd: r.fd, meanTerm: r.meanTerm, covarianceTerm: r.covarianceTerm, counts, dim: a.gaussian.mu.length, a: a.what, b: b.what, extractor: a.extractor ?? b.extractor, route: r.route, backend: r.backend, compat: values.compat, ...extra, warnings: r.warnings })}\n`,
        );
        return;
      }
      const lines = [
        `FD ${r.fd.toPrecision(10)}  (N1 = ${counts[0] ?? 'unknown'}, N2 = ${counts[1] ?? 'unknown'}, d = ${a.gaussian.mu.length}; lower is better)`,
        `  a: ${a.what}`,
        `  b: ${b.what}`,
        `  extractor: ${a.extractor ?? b.extractor ?? 'not recorded'}; mean term ${r.meanTerm.toPrecision(8)}, covariance term ${r.covarianceTerm.toPrecision(8)}; ${r.route} on ${r.backend}`,
      ];
      if (extra.kid) {
        const k = extra.kid as { mean: number; std: number; subsets: number; subsetSize: number };
        lines.push(`KID ${k.mean.toPrecision(6)} ± ${k.std.toPrecision(3)} (${k.subsets} subsets of ${k.subsetSize}; lower is better)`);
      }
      if (values.pr) lines.push(`precision ${extra.precision}, recall ${extra.recall} (k = 3; higher is better)`);
      for (const w of r.warnings) lines.push(`warning: ${w}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await opened?.close();
    }
  },
};
