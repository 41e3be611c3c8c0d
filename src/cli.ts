/**
 * The `pyramid-bench` command line: dispatches to the commands in `src/commands/`, loading only the one that
 * runs. Exit status: 0 done, 1 failed, 2 a mistake in the command line (printed with that command's usage),
 * others as a command says (`CommandFailure`).
 */
import { commands } from './commands/index.ts';
import { CommandFailure, UsageError, type CommandInfo } from './commands/command.ts';
import { harnessInfo } from './core/harness-root.ts';

const PROGRAM = 'pyramid-bench';

/** The top-level help: each command's name and summary. */
function overview(): string {
  const rows = commands.list();
  const width = Math.max(...rows.map((r) => r.name.length));
  return (
    `usage: ${PROGRAM} <command> [options]\n` +
    `       ${PROGRAM} <command> --help   (that command's options)\n` +
    `       ${PROGRAM} --version\n\n` +
    `commands:\n${rows.map((r) => `  ${r.name.padEnd(width)}  ${r.description}`).join('\n')}\n`
  );
}

/** A command's usage, each form prefixed with the program name and continuation lines kept under it. */
function usageOf(info: CommandInfo): string {
  const lines = info.usage.split('\n').map((line, i) => {
    const form = line === info.name || line.startsWith(`${info.name} `);
    return (i === 0 ? 'usage: ' : '       ') + (form ? `${PROGRAM} ` : ' '.repeat(PROGRAM.length + 1)) + line;
  });
  return `${lines.join('\n')}\n`;
}

/** `<command> --help`: the usage, then what the command does. */
function helpOf(info: CommandInfo): string {
  return `${usageOf(info)}\n${info.summary}\n`;
}

/** Whether `argv` asks for help (`--help` or `-h` before any `--`). */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** A command-line mistake: a `UsageError` or one of `node:util` parseArgs's errors (unknown option, missing value). */
function isUsageMistake(error: unknown): error is Error {
  return error instanceof UsageError || ((error as { code?: unknown })?.code as string | undefined)?.startsWith('ERR_PARSE_ARGS') === true;
}

/** "Unknown command 'x'. Available: a, b, c", worded as the registry words a miss. */
function commandMiss(name: string): string {
  return `Unknown command '${name}'. Available: ${commands.names().join(', ')}`;
}

/** Prints `message` (and `usage`, if given) to stderr and exits with `status`. */
function fail(message: string, status: number, usage = ''): never {
  process.stderr.write(`${PROGRAM}: ${message}\n${usage ? `\n${usage}` : ''}`);
  process.exit(status);
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(overview());
    return;
  }
  if (name === '--version') {
    process.stdout.write(`${harnessInfo().version}\n`);
    return;
  }
  if (name === 'help') {
    if (!commands.has(rest[0]!)) fail(commandMiss(rest[0]!), 2);
    process.stdout.write(helpOf(commands.get(rest[0]!)));
    return;
  }
  if (name.startsWith('-')) fail(`unknown option '${name}'; options before a command: --help, --version`, 2, overview());
  if (!commands.has(name)) fail(commandMiss(name), 2);
  const info = commands.get(name);
  if (wantsHelp(rest)) {
    process.stdout.write(helpOf(info));
    return;
  }
  const command = await info.load();
  try {
    await command.run(rest);
  } catch (error) {
    if (isUsageMistake(error)) fail(`${name}: ${error.message}`, 2, usageOf(info));
    throw error;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error), error instanceof CommandFailure ? error.exitCode : 1);
});
