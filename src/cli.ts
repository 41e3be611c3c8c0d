/** The `pyramid-bench` command line: dispatches to the commands in `src/commands/`. */
import { commands } from './commands/index.ts';
import { CommandFailure, UsageError } from './commands/command.ts';

function usage(): string {
  const lines = commands.names().map((name) => '  ' + commands.get(name).usage.replace(/\n/g, '\n  '));
  return `usage: pyramid-bench <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return;
  }
  if (!commands.has(name)) throw new UsageError(`unknown command '${name}'; commands: ${commands.names().join(', ')}`);
  await commands.get(name).run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`pyramid-bench: ${(error as Error).message}\n\n${usage()}`);
    process.exit(2);
  }
  process.stderr.write(`pyramid-bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof CommandFailure ? error.exitCode : 1);
});
