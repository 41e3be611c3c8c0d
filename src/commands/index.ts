/**
 * Every CLI command, by name: its summary and usage, and a loader that imports its file only when it runs (so
 * `pyramid-bench --help` starts without onnxruntime, sharp or chart.js). Add a command by writing
 * `src/commands/<name>.ts`, which exports a `Command`, and adding a row here.
 */
import { Registry } from '../core/registry.ts';
import type { CommandInfo } from './command.ts';

const table: CommandInfo[] = [
  {
    name: 'sample',
    summary: 'generate samples and write them as .npz, printing the cost summary',
    usage:
      'sample --model <ref> --sampler <pyramid|full|cascade> --n <N> --seed <S> --out <file.npz>\n' +
      '       [--class <k> | --unconditional | --prompt <text>...] [--guidance <first>,<video>] [--steps <a,b,c>] [--settings <json>] [--json]\n' +
      '       [--video <grid.gif|.mp4> [--fps <n>]] [--no-official-defaults]',
    load: async () => (await import('./sample.ts')).sampleCommand,
  },
  {
    name: 'default',
    summary: 'run the embedded default suite (suites/default.yaml) into runs/default',
    usage: 'default [--out <dir>] [run options]',
    load: async () => (await import('./default.ts')).defaultCommand,
  },
  {
    name: 'list',
    summary: 'suites, samplers, backends, presets, metrics and the other registries',
    usage: 'list',
    load: async () => (await import('./list.ts')).listCommand,
  },
  {
    name: 'data',
    summary: 'write the procedural moving-shapes data set (npz, videos or images)',
    usage:
      'data shapes --n <N> [--seed <S>] [--start <i>] [--frames <T>] [--size <px>] [--format npz|mp4|gif|webm|png] [--uint8] --out <file|dir>',
    load: async () => (await import('./data.ts')).dataCommand,
  },
  {
    name: 'vbench',
    summary: "VBench quality dimensions, VBench results files and the leaderboard's Quality/Semantic/Total",
    usage:
      'vbench score <results.json>... [--missing error|zero] [--json]\n' +
      'vbench eval <video|folder|samples.npz> [--dims a,b,...] [--manifest onnx.json] [--out dir] [--name n] [--fps f]\n' +
      '            [--no-static-filter] [--static-per-prompt 5] [--imaging-mode longer|shorter|shorter_centercrop|None] [--json]\n' +
      'vbench videos <samples.npz> --out <dir> (--prompt <text> | --prompts <file.json>) [--fps 8] [--format mp4|webm|gif]\n' +
      'vbench published [--table <rows.csv|rows.json>] [--json]',
    load: async () => (await import('./vbench.ts')).vbenchCommand,
  },
  {
    name: 'stats',
    summary: 'feature statistics (mean, covariance, count) of an input, or merge shards',
    usage:
      'stats <input> --extractor <name|manifest> -o <stats.npz> [--format pyramid-bench|pytorch-fid|clean-fid|clean-fid-kid|adm]\n' +
      '      [--start <i>] [--count <n>] [--frame <t>] [--no-state] [--json]\n' +
      'stats --merge <shard1.npz> <shard2.npz> ... -o <stats.npz>',
    load: async () => (await import('./stats.ts')).statsCommand,
  },
  {
    name: 'fd',
    summary: 'Fréchet distance (and optionally KID, precision/recall) between two statistics files or inputs',
    usage:
      'fd <a> <b> [--extractor <name|manifest>] [--compat none|pytorch-fid|clean-fid] [--backend auto|openblas|typescript]\n' +
      '   [--kid [--kid-subsets <n>] [--kid-subset-size <m>]] [--pr] [--frame <t>] [--json]\n' +
      '   (a: generated samples, b: the reference; statistics files or inputs; the order matters for precision/recall only)',
    load: async () => (await import('./fd.ts')).fdCommand,
  },
  {
    name: 'run',
    summary: 'run a benchmark suite (or one shard of it) and write results.json beside per-sample files',
    usage:
      'run <suite.yaml> --out <dir> [--shard i/n] [--store <dir>] [--arg name=value ...] [--replace] [--no-report] [--dry-run [--calibrate <samples>]]',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'merge',
    summary: "combine shards' results folders into one (refuses differing locked settings, naming them)",
    usage: 'merge <shard dir> <shard dir>... --out <dir> [--partial] [--replace] [--no-report]',
    load: async () => (await import('./merge.ts')).mergeCommand,
  },
  {
    name: 'slurm',
    summary: "write (and with --submit, submit) the Slurm job array of a suite's shards and the dependent merge job",
    usage:
      'slurm <suite.yaml> --shards <N> --out <dir> [--store <dir>] [--partition <p>] [--time <t>] [--max-running <k>]\n' +
      '      [--arg name=value ...] [--submit]',
    load: async () => (await import('./slurm.ts')).slurmCommand,
  },
  {
    name: 'validate',
    summary: 'check a suite file (schema, sweeps, models, settings, metrics) and print its plan',
    usage: 'validate <suite.yaml> [--arg name=value ...]',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'validate-features',
    summary:
      'check that feature spaces see damage: FD against disturbance level (noise, blur, occlusion, frame order), as FID was validated',
    usage:
      'validate-features [--extractors a,b,...] [--n <N>] [--frames <T>] [--size <px>] [--seeds <clean>,<disturbed>,<disturbance>]\n' +
      '                  [--groups <G>] [--out <dir> [--formats png,svg,pdf]] [--require-pass a,b,...] [--json]',
    load: async () => (await import('./validate-features.ts')).validateFeaturesCommand,
  },
  {
    name: 'cost',
    summary: "planned compute of the pyramid relative to full resolution and the cascade (default: the paper's settings)",
    usage:
      'cost [--json] [--height <latent H> --width <latent W> --frames <latent T>] [--steps a,b,c] [--video-steps a,b,c]\n' +
      '     [--guidance <first>,<video>] [--channels C] [--patch P] [--hidden d] [--depth L] [--text-tokens N]',
    load: async () => (await import('./cost.ts')).costCommand,
  },
  {
    name: 'compare',
    summary: 'compare runs with the first (paired bootstrap per value; refused when locked settings differ); --fail-if for CI',
    usage:
      'compare <results dir A> <results dir B> [<results dir C> ...] [--labels a,b,...] [--out <dir> [--formats png,svg,pdf]] [--json]\n' +
      '        [--resamples <n>] [--distance-resamples <n>] [--level 0.95] [--seed <s>] [--fail-if "<value> <op> <change>[%] [if significant] [for <method>]" ...]',
    load: async () => (await import('./compare.ts')).compareCommand,
  },
  {
    name: 'report',
    summary: 'write report.html, Markdown/LaTeX tables, CSV, charts (PNG/SVG/PDF) and side-by-side videos of a results folder',
    usage: 'report <results dir> [--out <dir>] [--replace] [--formats png,svg,pdf] [--videos <samples per method>]',
    load: async () => (await import('./report.ts')).reportCommand,
  },
];

export const commands = new Registry<CommandInfo>('command');
for (const c of table) commands.register(c.name, c, c.summary);
