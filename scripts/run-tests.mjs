#!/usr/bin/env node
// Runs every test/**/*.test.ts file with uvu under tsx, then prints one line "N passed, N failed".
// uvu exits 0 when it finds no test files, so this script counts what ran and fails on zero.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// an optional filter (a regular expression on the path) narrows the run; only *.test.ts files ever run
const filter = process.argv[2];
const pattern = filter ? `^(?=.*(?:${filter})).*\\.test\\.ts$` : '.*\\.test\\.ts$';
const uvuBin = path.join(root, 'node_modules', 'uvu', 'bin.js');
const child = spawn(process.execPath, ['--import', 'tsx', uvuBin, 'test', pattern, '--color', 'false'], {
  cwd: root,
  env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

let out = '';
child.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  out += text;
  process.stdout.write(text);
});

child.on('close', (code) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character starts the ANSI colour codes removed here
  const clean = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(clean)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(clean)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(clean)?.[1] ?? 0);
  const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  if (total === 0) {
    process.stderr.write('no tests ran: expected test/**/*.test.ts files\n');
    process.exit(1);
  }
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
});
