import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractorIdentity } from '../../src/features/registry.ts';
import { sha256Hex } from '../../src/core/hash.ts';

test("an extractor's cache identity carries its network's bytes: a retrained network under the same name is a new identity", () => {
  const clip = extractorIdentity('shapes-clip-v1');
  assert.equal([clip.name, clip.version], ['shapes-clip-v1', '2']);
  assert.is(clip.sha256, sha256Hex(readFileSync('extractors/shapes-clip-v1.onnx')));
  assert.match(extractorIdentity('random-conv2d-v1').version, /^1\+/);
  assert.equal(extractorIdentity('pixels-v1'), { name: 'pixels-v1', version: '1', sha256: null });
  // a manifest file without a pin: the file's own hash, which changes with the file
  const dir = mkdtempSync(path.join(tmpdir(), 'identity-'));
  copyFileSync('extractors/shapes-frame-v1.onnx', path.join(dir, 'net.onnx'));
  const text = readFileSync('extractors/shapes-frame-v1.yaml', 'utf8')
    .replace('model: shapes-frame-v1.onnx', 'model: net.onnx')
    .replace(/^sha256: .*\n/m, '');
  writeFileSync(path.join(dir, 'net.yaml'), text);
  const before = extractorIdentity(path.join(dir, 'net.yaml'));
  assert.is(before.sha256, sha256Hex(readFileSync('extractors/shapes-frame-v1.onnx')));
  copyFileSync('extractors/shapes-clip-v1.onnx', path.join(dir, 'net.onnx'));
  assert.is.not(extractorIdentity(path.join(dir, 'net.yaml')).sha256, before.sha256);
});

test.run();
