/**
 * `pyramid-bench validate-features`: checks that feature spaces see damage, as Heusel et al. (NeurIPS 2017)
 * validated FID: the Fréchet distance between clean moving-shapes clips and a disturbed second draw must rise
 * with each disturbance's level (src/analysis/feature-validation.ts). Prints which spaces pass; `--out` writes the
 * results (JSON), the tables (Markdown) and one chart per space; `--require-pass` makes a failing space an exit
 * status of 3, for CI.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_VALIDATION_N,
  disturbanceTable,
  parseValidationSettings,
  VALIDATED_SPACES,
  validateFeatureSpace,
  type FeatureValidation,
  type SpaceResult,
} from '../analysis/feature-validation.ts';
import { openExtractor } from '../features/registry.ts';
import { lockFolder } from '../io/folder-lock.ts';
import { parseFormats } from '../report/formats.ts';
import { asUsage, CommandFailure, integerOption, UsageError, type Command } from './command.ts';

/** Exit status when a space named by `--require-pass` fails (as `compare`'s regression gate). */
export const VALIDATION_FAILED_STATUS = 3;

function list(text: string, option: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${option} is '${text}'; allowed: names separated by commas`);
  return items;
}

/** The `validate-features` command; its name, summary and usage are in `index.ts`. */
export const validateFeaturesCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        extractors: { type: 'string', default: VALIDATED_SPACES.join(',') },
        n: { type: 'string', default: String(DEFAULT_VALIDATION_N) },
        frames: { type: 'string' },
        size: { type: 'string' },
        seeds: { type: 'string' },
        groups: { type: 'string' },
        out: { type: 'string' },
        formats: { type: 'string', default: 'png,svg' },
        'require-pass': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length) throw new UsageError(`validate-features takes no positional arguments, got ${positionals.join(' ')}`);
    const names = list(values.extractors!, 'extractors');
    const required = values['require-pass'] === undefined ? [] : list(values['require-pass'], 'require-pass');
    const missing = required.filter((r) => !names.includes(r));
    if (missing.length)
      throw new UsageError(`--require-pass names ${missing.join(', ')}, which --extractors does not validate (${names.join(', ')})`);
    const seeds = values.seeds === undefined ? undefined : list(values.seeds, 'seeds');
    if (seeds && seeds.length !== 3)
      throw new UsageError(`--seeds is '${values.seeds}'; allowed: three integers clean,disturbed,disturbance`);
    const [cleanSeed, disturbedSeed, disturbanceSeed] = (seeds ?? []).map((s) => integerOption(s, 'seeds', 0)!);
    const settings = asUsage(() =>
      parseValidationSettings(
        {
          n: integerOption(values.n, 'n', 1),
          frames: integerOption(values.frames, 'frames', 1),
          size: integerOption(values.size, 'size', 1),
          cleanSeed,
          disturbedSeed,
          disturbanceSeed,
          jackknifeGroups: integerOption(values.groups, 'groups', 1),
        },
        'options',
      ),
    );
    const formats = asUsage(() => parseFormats(values.formats!));
    const note = (line: string) => process.stderr.write(`[validate-features] ${line}\n`);
    const lock = values.out ? lockFolder(values.out, ['pyramid-bench', 'validate-features', ...argv].join(' '), note) : null;
    try {
      const spaces: SpaceResult[] = [];
      for (const name of names) {
        const extractor = await openExtractor(name);
        try {
          spaces.push(
            await validateFeatureSpace(extractor, settings, (space, step, done, total) => note(`${space}: ${step} (${done}/${total})`)),
          );
        } finally {
          await extractor.close();
        }
      }
      const validation: FeatureValidation = {
        format: 'pyramid-bench-feature-validation',
        version: 1,
        settings,
        disturbances: disturbanceTable(),
        spaces,
      };
      // loaded here: chart.js and node-canvas are needed only to write files
      const { featureValidationMarkdown, writeFeatureValidation } = await import('../report/feature-validation.ts');
      process.stdout.write(values.json ? `${JSON.stringify(validation, null, 2)}\n` : featureValidationMarkdown(validation));
      if (values.out) {
        const files = writeFeatureValidation(validation, values.out, formats);
        note(`wrote ${files.length} files to ${values.out}: ${files.join(', ')}`);
      }
      // by the names given on the command line (a manifest file's space carries the manifest's own name)
      const failed = spaces.filter((s, i) => required.includes(names[i]) && !s.pass);
      if (failed.length)
        throw new CommandFailure(
          `feature validation failed for ${failed
            .map(
              (s) =>
                `${s.extractor} (${s.curves
                  .filter((c) => !c.pass)
                  .map((c) => `${c.disturbance} rho ${c.rho.toFixed(2)}`)
                  .join(', ')})`,
            )
            .join('; ')}`,
          VALIDATION_FAILED_STATUS,
        );
    } finally {
      lock?.release();
    }
  },
};
