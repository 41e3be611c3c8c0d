/**
 * `pyramid-bench cost`: the planned compute of the pyramidal sampler relative to full resolution and the cascade,
 * for the paper's settings (384p/768p, 5 s/10 s) or for a configuration given by options; Markdown or `--json`.
 */
import { parseArgs } from 'node:util';
import {
  costTable,
  costTableMarkdown,
  equalStepsCheckConfig,
  paperConfigs,
  SD3_MEDIUM_LIKE,
  type CostConfig,
} from '../analysis/cost-table.ts';
import { DEFAULT_PYRAMID } from '../models/contract/schedule.ts';
import { guidanceOption } from './sample.ts';
import { integerOption, UsageError, type Command } from './command.ts';

function stepsOption(value: string | undefined, name: string, fallback: readonly number[]): readonly number[] {
  if (value === undefined) return fallback;
  const steps = value.split(',').map((s) => integerOption(s.trim(), name, 1)!);
  if (steps.length !== DEFAULT_PYRAMID.stages)
    throw new UsageError(`--${name} is '${value}'; allowed: ${DEFAULT_PYRAMID.stages} comma-separated integers, e.g. 20,20,20`);
  return steps;
}

/** The `cost` command; its name, summary and usage are in `index.ts`. */
export const costCommand: Command = {
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        height: { type: 'string' },
        width: { type: 'string' },
        frames: { type: 'string' },
        steps: { type: 'string' },
        'video-steps': { type: 'string' },
        guidance: { type: 'string' },
        channels: { type: 'string' },
        patch: { type: 'string' },
        hidden: { type: 'string' },
        depth: { type: 'string' },
        'text-tokens': { type: 'string' },
      },
      strict: true,
    });
    const custom = [
      'height',
      'width',
      'frames',
      'steps',
      'video-steps',
      'guidance',
      'channels',
      'patch',
      'hidden',
      'depth',
      'text-tokens',
    ].some((k) => values[k as keyof typeof values] !== undefined);
    let configs: CostConfig[] | undefined;
    if (custom) {
      const base = paperConfigs()[2];
      const height = integerOption(values.height, 'height', 4) ?? base.height;
      const width = integerOption(values.width, 'width', 4) ?? base.width;
      const patch = integerOption(values.patch, 'patch', 1) ?? base.patchSize;
      const factor = 2 ** (DEFAULT_PYRAMID.stages - 1);
      if (height % factor !== 0 || width % factor !== 0)
        throw new UsageError(
          `--height ${height} and --width ${width} must be multiples of ${factor} for a ${DEFAULT_PYRAMID.stages}-stage pyramid`,
        );
      const config: CostConfig = {
        ...base,
        name: 'custom',
        height,
        width,
        frames: integerOption(values.frames, 'frames', 1) ?? base.frames,
        channels: integerOption(values.channels, 'channels', 1) ?? base.channels,
        patchSize: patch,
        stepsPerStage: stepsOption(values.steps, 'steps', base.stepsPerStage),
        videoStepsPerStage: stepsOption(values['video-steps'], 'video-steps', base.videoStepsPerStage),
        guidance: values.guidance === undefined ? base.guidance : guidanceOption(values.guidance),
        transformer: {
          ...SD3_MEDIUM_LIKE,
          hidden: integerOption(values.hidden, 'hidden', 1) ?? SD3_MEDIUM_LIKE.hidden,
          depth: integerOption(values.depth, 'depth', 1) ?? SD3_MEDIUM_LIKE.depth,
          conditionTokens: integerOption(values['text-tokens'], 'text-tokens', 0) ?? SD3_MEDIUM_LIKE.conditionTokens,
          parameters: undefined,
        },
      };
      configs = [config, equalStepsCheckConfig(config)];
    }
    const table = costTable(configs);
    process.stdout.write(values.json ? `${JSON.stringify(table, null, 2)}\n` : `${costTableMarkdown(table)}\n`);
  },
};
