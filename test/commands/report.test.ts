/** `report` as users run it: the files it writes, and bad options refused as usage errors. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../src/commands/command.ts';
import { reportCommand } from '../../src/commands/report.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'pyramid-bench.js'), ...args], { cwd: root, encoding: 'utf8' });

test('report writes report.html and report/ into --out', async () => {
  const out = scratch('report-cli');
  const r = cli('report', await reportRun('a'), '--out', out, '--formats', 'pdf', '--videos', '1');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^wrote 16 files to .*: report\.html, report\/charts\/latency-distribution\.pdf, /);
  assert.match(r.stdout, /the HTML report embeds charts as SVG or PNG; with --formats pdf it links the PDFs only/);
  assert.ok(existsSync(path.join(out, 'report.html')) && existsSync(path.join(out, 'report', 'videos', '0-cascade.gif')));
  // PDF only: the page links the charts and embeds no empty image
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.ok(html.includes('<a href="report/charts/vbench-dimensions.pdf">PDF</a>'));
  assert.not.match(html, /<img src="(data:application\/pdf|")/);
});

test('bad options are usage errors naming them', async () => {
  const a = await reportRun('a');
  const cases: [string[], RegExp][] = [
    [[a, '--formats', 'png,eps'], /'eps' is not a chart format; allowed: png, svg, pdf/],
    [[a, '--videos=-2'], /--videos is '-2'; allowed: an integer >= 0/],
    [[], /report takes one results folder, got none/],
  ];
  for (const [args, pattern] of cases) {
    let error: unknown = null;
    await reportCommand.run(args).catch((e: unknown) => (error = e));
    assert.ok(error instanceof UsageError, `report ${args.join(' ')}: ${String(error)}`);
    assert.match((error as Error).message, pattern);
  }
});

test.run();
