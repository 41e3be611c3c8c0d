import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clipGeometry, dinoGeometry, imagingQualityGeometry } from '../../../src/vbench/video/transforms.ts';

const frame = (w: number, h: number, v = 90) => new Uint8Array(w * h * 3).fill(v);
const size = (g: { width: number; height: number }) => [g.width, g.height];

test("imaging quality's resize rule for each mode (sizes int(512 / side * h), int(512 / side * w))", () => {
  // longer (default): 1280x720 -> scale 0.4 -> 512 x 288; 600x400 -> 512 x int(0.8533 * 400) = 341
  assert.equal(size(imagingQualityGeometry(frame(1280, 720), 1280, 720)), [512, 288]);
  assert.equal(size(imagingQualityGeometry(frame(600, 400), 600, 400, 'longer')), [512, 341]);
  assert.equal(size(imagingQualityGeometry(frame(512, 300), 512, 300, 'longer')), [512, 300]);
  // shorter: 1280x720 -> 910 x 512; centre-cropped to 512 x 512; 800x500 is below 512 on the short side
  assert.equal(size(imagingQualityGeometry(frame(1280, 720), 1280, 720, 'shorter')), [910, 512]);
  assert.equal(size(imagingQualityGeometry(frame(1280, 720), 1280, 720, 'shorter_centercrop')), [512, 512]);
  assert.equal(size(imagingQualityGeometry(frame(800, 500), 800, 500, 'shorter')), [800, 500]);
  assert.equal(size(imagingQualityGeometry(frame(2000, 1000), 2000, 1000, 'None')), [2000, 1000]);
  assert.throws(
    () => imagingQualityGeometry(frame(4, 4), 4, 4, 'widest' as never),
    /mode 'widest' is not known; allowed: longer, shorter, shorter_centercrop, None/,
  );
});

test('clip_transform geometry crops to 224 x 224; dino_transform keeps the aspect ratio', () => {
  const c = clipGeometry(frame(640, 360), 640, 360);
  assert.equal(size(c), [224, 224]);
  assert.ok(c.data.every((v) => v === 90));
  assert.equal(size(dinoGeometry(frame(640, 360), 640, 360)), [398, 224]);
  assert.equal(size(dinoGeometry(frame(100, 200), 100, 200)), [224, 448]);
});

test.run();
