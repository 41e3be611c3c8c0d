import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifest, readManifest } from '../../src/vbench/manifest.ts';
import { badInput } from '../helpers/case-ledger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vbench-manifest-'));
writeFileSync(path.join(dir, 'raft.onnx'), 'x');
writeFileSync(path.join(dir, 'dino.onnx'), 'x');

test('entries resolve relative to the manifest folder; absent networks stay absent', () => {
  const file = path.join(dir, 'onnx.json');
  writeFileSync(
    file,
    JSON.stringify({ version: 1, raft: { file: 'raft.onnx', output: 'flow_up' }, dino: { file: 'dino.onnx', batch: 8 } }),
  );
  const m = readManifest(file);
  assert.is(m.raft!.file, path.join(dir, 'raft.onnx'));
  assert.is(m.raft!.output, 'flow_up');
  assert.is(m.dino!.batch, 8);
  assert.is(m.musiq, undefined);
});

test('unknown keys, missing files, wrong versions and an orphan LAION head are refused with the field named', () => {
  assert.throws(() => parseManifest({ version: 1, rafts: { file: 'raft.onnx' } }, dir, 'm.json'), /m.json: Unrecognized key: "rafts"/);
  assert.throws(() => parseManifest({ version: 2 }, dir, 'm.json'), /m.json.version/);
  assert.throws(
    () => parseManifest({ version: 1, musiq: { file: 'musiq.onnx' } }, dir, 'm.json'),
    /m.json.musiq.file: .*musiq.onnx does not exist/,
  );
  assert.throws(
    () => parseManifest({ version: 1, laion_aesthetic: { file: 'dino.onnx' } }, dir, 'm.json'),
    /laion_aesthetic needs clip_l14/,
  );
  assert.throws(() => parseManifest({ version: 1, dino: { file: 'dino.onnx', batch: 0 } }, dir, 'm.json'), /m.json.dino.batch/);
  assert.throws(() => readManifest(path.join(dir, 'none.json')), /does not exist/);
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{');
  assert.throws(() => readManifest(bad), /is not JSON/);
});

test('a network that is a link, outside the manifest folder or not a regular file is refused before it is opened', async () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'vbench-outside-'));
  writeFileSync(path.join(outside, 'secret.onnx'), 'x');
  const box = mkdtempSync(path.join(tmpdir(), 'vbench-links-'));
  symlinkSync(path.join(outside, 'secret.onnx'), path.join(box, 'raft.onnx'));
  writeFileSync(path.join(box, 'dino.onnx'), 'x');
  symlinkSync('dino.onnx', path.join(box, 'clip.onnx'));
  mkdirSync(path.join(box, 'folder.onnx'));
  await badInput('paths', 'a VBench network linked outside', () =>
    assert.throws(
      () => parseManifest({ version: 1, raft: { file: 'raft.onnx' } }, box, 'm.json'),
      /^m.json.raft.file: "raft.onnx" resolves to .*secret.onnx, outside .*; allowed: a path inside the folder$/,
    ),
  );
  await badInput('paths', 'a VBench network linked inside', () =>
    assert.throws(
      () => parseManifest({ version: 1, clip_b32: { file: 'clip.onnx' } }, box, 'm.json'),
      /^m.json.clip_b32.file: .*clip.onnx is a symbolic link; allowed: a regular file in the manifest's folder$/,
    ),
  );
  await badInput('paths', 'a VBench network that is a folder', () =>
    assert.throws(
      () => parseManifest({ version: 1, dino: { file: 'folder.onnx' } }, box, 'm.json'),
      /m.json.dino.file: .*folder.onnx is not a regular file/,
    ),
  );
  for (const file of ['../' + path.basename(outside) + '/secret.onnx', path.join(outside, 'secret.onnx')])
    await badInput('paths', `a VBench network at ${file.startsWith('/') ? 'an absolute path' : '../'}`, () =>
      assert.throws(
        () => parseManifest({ version: 1, dino: { file } }, box, 'm.json'),
        /^m.json.dino.file: path .*; allowed: a relative path inside the folder, without '\.\.'/,
      ),
    );
});

test.run();
