import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVbenchName, perPromptIndices, vbenchFileName } from '../../src/vbench/naming.ts';

test('get_prompt_from_filename: the stem without a trailing -<digits>', () => {
  assert.equal(parseVbenchName('/v/A person is riding a bike-0.mp4'), { prompt: 'A person is riding a bike', index: 0 });
  assert.equal(parseVbenchName('a-b-12.gif'), { prompt: 'a-b', index: 12 });
  assert.equal(parseVbenchName('clip.mp4'), { prompt: 'clip', index: null });
  assert.equal(parseVbenchName('frames/a dog-3'), { prompt: 'a dog', index: 3 });
});

test('{prompt}-{index}.mp4 is written back, with per-prompt indices', () => {
  assert.is(vbenchFileName('a cat playing piano', 4), 'a cat playing piano-4.mp4');
  assert.equal(perPromptIndices(['a', 'b', 'a', 'a', 'b']), [0, 0, 1, 2, 1]);
  const name = vbenchFileName('a dog', 2, '.gif');
  assert.equal(parseVbenchName(name), { prompt: 'a dog', index: 2 });
  assert.throws(() => vbenchFileName('left/right', 0), /contains '\/'/);
  assert.throws(() => vbenchFileName('', 0), /empty/);
  assert.throws(() => vbenchFileName('x'.repeat(300), 0), /at most 255/);
});

test.run();
