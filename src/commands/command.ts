/**
 * A CLI command's implementation: what it does with its arguments. Commands live one per file in
 * `src/commands/`; `src/commands/index.ts` lists each one's name, summary and usage, and loads its file only when
 * it runs, so `--help` reads no command's dependencies.
 */
export interface Command {
  run(argv: string[]): Promise<void>;
}

/** What the command line knows of a command before loading it. */
export interface CommandInfo {
  readonly name: string;
  /** One line for `pyramid-bench --help`. */
  readonly summary: string;
  /**
   * The command's forms, one a line, each starting with its name, without the program name; a line that does not
   * start with the name continues the form above it, indented to line up after the name.
   */
  readonly usage: string;
  /** Imports the command's file. */
  load(): Promise<Command>;
}

/** A mistake in the command line: printed with the usage, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that ran but must exit with a given status (e.g. a regression gate that failed): printed, then exit `exitCode`. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/** Runs `parse` (an option parser that throws plain errors naming the value) and turns its error into a UsageError. */
export function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses an integer option, naming the option and the allowed range on error. */
export function integerOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} is '${value}'; allowed: an integer >= ${min}`);
  return n;
}

/** Parses a JSON option, naming the option on error. */
export function jsonOption(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--${name} is not JSON: ${(error as Error).message}`);
  }
}
