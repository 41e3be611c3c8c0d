/**
 * The HTML report: cells and escaping, then the whole page opened in headless Chromium (Debian's, through
 * playwright-core): its title, tables, every image (charts and videos) decoded with a non-zero size, no console
 * error, no request other than the file itself, and a screenshot.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import { escapeHtml, htmlCell } from '../../src/report/html.ts';
import { writeReport } from '../../src/report/report.ts';
import { valueCell } from '../../src/report/table.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

const CHROMIUM = '/usr/bin/chromium';

test('cells and text are escaped; intervals and powers of ten are marked up', () => {
  assert.is(escapeHtml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  const v = (value: number, uncertainty: MetricValue['uncertainty']): MetricValue => ({
    key: 'k',
    label: '',
    value,
    unit: 'u',
    direction: 'lower',
    uncertainty,
    measured: false,
  });
  assert.is(
    htmlCell(valueCell(v(36.48, { kind: 'interval', low: 30.71, high: 43.81, level: 0.95, n: 20, method: '' }))),
    '36.5 <span class="interval">[30.7, 43.8]</span>',
  );
  assert.is(htmlCell(valueCell(v(2.5e12, { kind: 'stderr', stderr: 1.2e10, n: 4, method: '' }))), '(2.500 ± 0.012)×10<sup>12</sup>');
  assert.is(htmlCell(valueCell(undefined)), '<span class="missing" title="not measured">n/a</span>');
});

test('report.html renders in headless Chromium: title, tables, every image loaded, no errors, no requests', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (./setup.sh does)`);
  const out = scratch('html');
  const { files } = await writeReport(await reportRun('a'), { out, formats: ['svg'], videos: 2 });
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.not.match(html, /(src|href)="(https?:)?\/\//, 'an external reference');
  const profile = scratch('chromium-profile');
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(path.join(out, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    assert.is(await page.title(), 'pyramid-bench report: report-test v1');
    const tables = (await page.evaluate(`Array.from(document.querySelectorAll('table')).map((t) => t.id || t.className)`)) as string[];
    for (const id of ['table-quality', 'table-compute', 'table-metric-fd-pixel', 'table-metric-cost', 'videos', 'kv', 'kv methods'])
      assert.ok(tables.includes(id), `no table ${id}: ${tables.join(', ')}`);
    const rows = (await page.evaluate(`document.querySelectorAll('#table-quality tbody tr').length`)) as number;
    assert.is(rows, 3);
    const images = (await page.evaluate(
      `Array.from(document.images).map((i) => ({ alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, data: i.src.startsWith('data:') }))`,
    )) as { alt: string; complete: boolean; w: number; h: number; data: boolean }[];
    const charts = files.filter((f) => f.startsWith('report/charts/')).length;
    const videos = files.filter((f) => f.startsWith('report/videos/')).length;
    assert.is(images.length, charts + videos);
    for (const i of images) assert.ok(i.complete && i.w > 0 && i.h > 0 && i.data, `image '${i.alt}' did not load: ${JSON.stringify(i)}`);
    assert.equal(errors, []);
    assert.equal(requests, [url]);
    const shot = await page.screenshot({ fullPage: true });
    const meta = await sharp(shot).metadata();
    assert.ok(meta.width === 1280 && meta.height! > 2000, `screenshot ${meta.width}x${meta.height}`);
    const { data } = await sharp(shot).greyscale().raw().toBuffer({ resolveWithObject: true });
    // not a blank page: dark text and white background both present
    assert.ok(data.some((p) => p < 64) && data.some((p) => p > 240));
  } finally {
    await browser.close();
  }
});

test.run();
