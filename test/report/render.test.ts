/**
 * Chart rendering: PDF and SVG are vector (path operators, no embedded image), the white background is painted
 * by the plugin, and the same chart gives the same bytes however many charts were rendered before it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import canvas from 'canvas';
import { parseFormats } from '../../src/report/formats.ts';
import { normalizeVector, PNG_SCALE, renderChart, type ChartSpec } from '../../src/report/render.ts';

type ChartConfiguration = ReturnType<ChartSpec['config']>;

const spec = (
  name: string,
  extra: Partial<ChartConfiguration['options']> = {},
  plugins: ChartConfiguration['plugins'] = [],
): ChartSpec => ({
  name,
  title: name,
  caption: '',
  width: 400,
  height: 250,
  config: () =>
    ({
      type: 'line',
      data: { labels: ['a', 'b', 'c'], datasets: [{ label: name, data: [1, 3, 2], borderColor: '#0072B2' }] },
      options: { plugins: { title: { display: true, text: name } }, ...extra },
      plugins,
    }) as ChartConfiguration,
});

/** The page content of a PDF: every stream, inflated when it is Flate-compressed. */
function pdfContent(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const parts: string[] = [text];
  const re = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  for (const m of text.matchAll(re)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    parts.push(/FlateDecode/.test(m[1]) ? inflateSync(raw).toString('latin1') : raw.toString('latin1'));
  }
  return parts.join('\n');
}

/** Whether a PDF draws vector paths (moveto/lineto/curveto/rectangle, then fill or stroke) and embeds no image. */
function vectorOnly(pdf: Buffer): { paths: number; images: number } {
  const content = pdfContent(pdf);
  const paths = (content.match(/[\d.-]+ [\d.-]+ (m|l)\b|\bre\b/g) ?? []).length;
  const painted = /\b(f|S|B|f\*)\b/.test(content);
  const images = (content.match(/\/Subtype\s*\/Image/g) ?? []).length;
  return { paths: painted ? paths : 0, images };
}

test('a PDF chart is vector: path operators in its content streams and no embedded image', () => {
  const pdf = renderChart(spec('vector'), 'pdf');
  assert.is(pdf.subarray(0, 5).toString(), '%PDF-');
  const v = vectorOnly(pdf);
  assert.ok(v.paths > 20, `expected many path operators, got ${v.paths}`);
  assert.is(v.images, 0);
  // the check sees an image when a chart draws one (a raster inside the PDF)
  const png = renderChart(spec('raster'), 'png');
  const image = new canvas.Image();
  image.src = png;
  const drawsImage = {
    id: 'drawsImage',
    afterDraw: (chart: { ctx: { drawImage: (i: unknown, x: number, y: number, w: number, h: number) => void } }) =>
      chart.ctx.drawImage(image, 0, 0, 100, 60),
  };
  assert.ok(vectorOnly(renderChart(spec('raster', {}, [drawsImage as never]), 'pdf')).images >= 1);
});

test('an SVG chart is vector: paths and glyphs, no <image>', () => {
  const svg = renderChart(spec('svg'), 'svg').toString('utf8');
  assert.match(svg, /^<\?xml[\s\S]*<svg /);
  assert.ok((svg.match(/<path /g) ?? []).length > 20);
  // cairo draws text as glyph outlines (<symbol> paths placed by <use>), or as <text>
  assert.ok(/<use xlink:href="#glyph/.test(svg) || /<text/.test(svg), 'no text in the SVG');
  assert.not.match(svg, /<image/);
});

test('the background is painted white by the plugin (transparent without it), not a raster', async () => {
  const corner = async (png: Buffer) => {
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.equal([info.width, info.height], [400 * PNG_SCALE, 250 * PNG_SCALE]);
    return [...data.subarray(0, 4)];
  };
  assert.equal(await corner(renderChart(spec('bg'), 'png')), [255, 255, 255, 255]);
  const off = spec('bg', { plugins: { reportBackground: false } as never });
  assert.equal((await corner(renderChart(off, 'png')))[3], 0);
});

test('the same chart gives the same bytes in every format, whatever was rendered before it', () => {
  for (const format of ['png', 'svg', 'pdf'] as const) {
    const first = renderChart(spec('same'), format);
    renderChart(spec('other'), format);
    renderChart(spec('other 2'), format);
    assert.ok(renderChart(spec('same'), format).equals(first), format);
  }
  assert.match(renderChart(spec('dated'), 'pdf').toString('latin1'), /\/CreationDate \(D:20000101000000Z\)/);
});

test('normalizeVector fixes the PDF date in place (same length) and renumbers SVG surfaces', () => {
  const pdf = Buffer.from('1 0 obj << /CreationDate (D:20261125145040Z) /ModDate (D:20261125145041Z) >>', 'latin1');
  const fixed = normalizeVector(pdf, 'pdf');
  assert.is(fixed.length, pdf.length);
  assert.is(fixed.toString('latin1'), '1 0 obj << /CreationDate (D:20000101000000Z) /ModDate (D:20000101000000Z) >>');
  assert.is(
    normalizeVector(Buffer.from('<g id="surface42"><use href="#surface42"/><g id="surface7">'), 'svg').toString(),
    '<g id="surface1"><use href="#surface1"/><g id="surface2">',
  );
});

test('--formats: a list of png, svg and pdf; anything else is refused by name', () => {
  assert.equal(parseFormats('pdf, png,pdf'), ['pdf', 'png']);
  assert.throws(() => parseFormats('png,jpeg'), /'jpeg' is not a chart format; allowed: png, svg, pdf/);
  assert.throws(() => parseFormats(','), /names no format/);
});

test.run();
