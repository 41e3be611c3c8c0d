import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise, mulhi32, philox4x32 } from '../../src/core/philox.ts';

const hex = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).join(' ');

test('Philox4x32-10 reproduces the three Random123 known-answer vectors', () => {
  assert.is(hex(philox4x32([0, 0, 0, 0], [0, 0])), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  assert.is(
    hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])),
    '408f276d 41c83b0e a20bc7c6 6d5451fd',
  );
  assert.is(
    hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])),
    'd16cfe09 94fdcceb 5001e420 24126ea1',
  );
});

test('a round count other than 10 gives other words (the vectors are sensitive to the rounds)', () => {
  assert.is.not(hex(philox4x32([0, 0, 0, 0], [0, 0], 9)), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
});

test('mulhi32 equals the BigInt product at edges and fixed points', () => {
  const points = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xd2511f53, 0xcd9e8d57, 123456789, 987654321];
  for (const a of points) {
    for (const b of points) {
      assert.is(mulhi32(a, b), Number((BigInt(a) * BigInt(b)) >> 32n), `${a} * ${b}`);
    }
  }
});

test("a sample's noise depends only on (seed, index, purpose): order and other requests do not matter", () => {
  const a = new PhiloxNoise(5);
  const first = a.gaussian(3, 'initial', 100);
  const b = new PhiloxNoise(5);
  b.gaussian(0, 'initial', 1000);
  b.gaussian(7, 'jump/unit0/stage1', 50);
  assert.equal(Array.from(b.gaussian(3, 'initial', 100)), Array.from(first));
  // a longer request starts with the shorter one
  assert.equal(Array.from(b.gaussian(3, 'initial', 103).subarray(0, 100)), Array.from(first));
  // other seed, index or purpose: other values
  assert.is.not(new PhiloxNoise(6).gaussian(3, 'initial', 4)[0], first[0]);
  assert.is.not(a.gaussian(4, 'initial', 4)[0], first[0]);
  assert.is.not(a.gaussian(3, 'other', 4)[0], first[0]);
});

test('Gaussian values have mean 0, variance 1 and normal tails (1e6 draws, 5-sigma bounds)', () => {
  const n = 1_000_000;
  const g = new PhiloxNoise(123).gaussian(0, 'moments', n);
  let s = 0;
  let s2 = 0;
  let s4 = 0;
  let beyond2 = 0;
  for (const v of g) {
    s += v;
    s2 += v * v;
    s4 += v ** 4;
    if (Math.abs(v) > 2) beyond2++;
  }
  const mean = s / n;
  const variance = s2 / n - mean * mean;
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(2 / n), `variance ${variance}`);
  assert.ok(Math.abs(s4 / n - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${s4 / n}`);
  // P(|z| > 2) = 0.0455003
  const p = beyond2 / n;
  assert.ok(Math.abs(p - 0.0455003) < 5 * Math.sqrt((0.0455 * 0.9545) / n), `tail ${p}`);
});

test('uniform values lie in (0, 1) with mean 1/2', () => {
  const u = new PhiloxNoise(9).uniform(2, 'x', 100000);
  let s = 0;
  for (const v of u) {
    assert.ok(v > 0 && v < 1);
    s += v;
  }
  assert.ok(Math.abs(s / u.length - 0.5) < 5 * Math.sqrt(1 / 12 / u.length));
});

test('bad seeds and indices are refused, naming the value and the allowed range', () => {
  assert.throws(() => new PhiloxNoise(-1), /seed -1 is not allowed/);
  assert.throws(() => new PhiloxNoise(1.5), /seed 1.5 is not allowed/);
  assert.throws(() => new PhiloxNoise(1).gaussian(2 ** 32, 'x', 1), /sample index 4294967296 is not allowed/);
});

test.run();
