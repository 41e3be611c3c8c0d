#!/usr/bin/env node
// Entry point: runs the built CLI (dist/, from `npm run build`) with no transpiler. Contributors can run the
// TypeScript sources directly with `npm run dev -- <command> ...`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('pyramid-bench: dist/ is missing; run `npm run build` (setup.sh does it)\n');
  process.exit(1);
}
await import(cli.href);
