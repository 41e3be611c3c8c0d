import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  aestheticQualityScore,
  aestheticQualityVideo,
  frameMean,
  imagingQualityScore,
  imagingQualityVideo,
} from '../../src/vbench/frame-quality.ts';

test('aesthetic quality: per-video frame mean of head / 10, dimension mean over videos', () => {
  assert.is(aestheticQualityVideo([0.5, 0.6, 0.7], 'a'), 0.6);
  assert.ok(Math.abs(aestheticQualityScore([0.6, 0.4]) - 0.5) < 1e-15);
});

test('imaging quality: per-video values stay on the 0-100 scale; the dimension divides the mean by 100', () => {
  assert.is(imagingQualityVideo([60, 70], 'a'), 65);
  assert.ok(Math.abs(imagingQualityScore([65, 55]) - 0.6) < 1e-15);
});

test('no frames and non-finite frame scores are errors naming the video', () => {
  assert.throws(() => aestheticQualityVideo([], 'clip-7'), /aesthetic quality of clip-7: no frames/);
  assert.throws(() => imagingQualityVideo([1, NaN], 'clip-8'), /imaging quality of clip-8: a frame score is NaN/);
  assert.throws(() => frameMean([Infinity], 'x'), /Infinity/);
});

test.run();
