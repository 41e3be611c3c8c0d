/**
 * Command-line parsing shared by the commands that read inputs through a feature extractor (`stats`, `fd`):
 * positionals plus `--extractor` (a registered name or a manifest file), `--frame` (take one frame of each clip
 * as an image) and `--json`, beside each command's own options.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

const shared = {
  extractor: { type: 'string' },
  frame: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;
/** What `parseArgs` returns for the shared options and `O`, named so that declaration files can spell it. */
type InputArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof shared & O }>
>;

/** Parses `argv` with the shared options and `own`; strict (unknown options are errors). */
export function parseInputArgs<O extends Options>(argv: string[], own: O): InputArgs<O> {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...shared, ...own } });
}
