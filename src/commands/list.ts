/** `pyramid-bench list`: what can be named in commands and suites. */
import type { Registry } from '../core/registry.ts';
import { backends } from '../models/load.ts';
import { samplers } from '../samplers/index.ts';
import { analyticPresets } from '../models/analytic/presets.ts';
import { suiteMetrics } from '../suite/metrics/index.ts';
import { referenceSources } from '../suite/references.ts';
import { shippedSuites } from '../suite/suite-files.ts';
import { extractors } from '../features/registry.ts';
import type { Command } from './command.ts';

/** Registries shown by `list`, by heading. Modules add theirs here. */
export const listed: [string, Registry<unknown>][] = [
  ['suites (run <file>)', shippedSuites as Registry<unknown>],
  ['samplers', samplers as Registry<unknown>],
  ['backends', backends as Registry<unknown>],
  ['analytic presets (analytic:<name>)', analyticPresets as Registry<unknown>],
  ['suite metrics', suiteMetrics as Registry<unknown>],
  ['references (suite reference.source)', referenceSources as Registry<unknown>],
  ['feature extractors (or a manifest file)', extractors as Registry<unknown>],
];

export const listCommand: Command = {
  async run() {
    const section = (title: string, rows: { name: string; description: string }[]) =>
      `${title}:\n${rows.length ? rows.map((r) => `  ${r.name.padEnd(18)} ${r.description}`).join('\n') : '  (none)'}\n`;
    process.stdout.write(listed.map(([title, registry]) => section(title, registry.list())).join(''));
  },
};
