import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MethodPalette, OKABE_ITO } from '../../src/report/palette.ts';

test('each method name keeps one colour and point style, assigned in order of first appearance', () => {
  const p = new MethodPalette(['pyramid', 'full', 'pyramid', 'cascade']);
  assert.equal(
    ['pyramid', 'full', 'cascade'].map((n) => p.colour(n)),
    OKABE_ITO.slice(0, 3),
  );
  assert.equal([p.pointStyle('pyramid'), p.pointStyle('full')], ['circle', 'rect']);
  // a name seen later takes the next colour, and keeps it
  assert.is(p.colour('new'), OKABE_ITO[3]);
  assert.is(p.colour('new'), OKABE_ITO[3]);
  assert.is(p.translucent('pyramid', 0.5), `${OKABE_ITO[0]}80`);
  const many = new MethodPalette(Array.from({ length: 10 }, (_, i) => `m${i}`));
  assert.is(many.colour('m8'), OKABE_ITO[0]);
});

test.run();
