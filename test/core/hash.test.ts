import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson, hashValue, sha256Hex } from '../../src/core/hash.ts';

test('canonical JSON sorts keys at every level, drops undefined members and writes typed arrays as arrays', () => {
  assert.is(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  assert.is(canonicalJson(new Float32Array([0.5, 2])), '[0.5,2]');
  assert.is(hashValue({ a: 1, b: 2 }), hashValue({ b: 2, a: 1 }));
  assert.is.not(hashValue({ a: 1 }), hashValue({ a: '1' }));
});

test('values JSON cannot carry exactly are refused with their path', () => {
  assert.throws(() => canonicalJson({ a: [1, NaN] }), /\$\.a\[1\] is NaN/);
  assert.throws(() => canonicalJson({ f: () => 1 }), /\$\.f is a function/);
});

test('SHA-256 matches the FIPS 180-2 test vector for "abc"', () => {
  assert.is(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test.run();
