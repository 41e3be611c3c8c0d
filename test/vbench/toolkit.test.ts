import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readManifest } from '../../src/vbench/manifest.ts';
import { defaultToolkit, loadToolkit } from '../../src/vbench/toolkit.ts';
import { flowGraph, interpolatorGraph, linearHeadGraph, poolEncoderGraph, sumScorerGraph, writeModel } from '../helpers/onnx-graphs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vbench-toolkit-'));
const quiet = () => undefined;

test('without a manifest: the CLG flow, the flow-warp interpolator, the substitute backbone, and no aesthetic/imaging scorers', () => {
  const t = defaultToolkit();
  assert.is(t.flow.name, 'clg-pyramid');
  assert.is(t.interpolator.name, 'flow-warp:clg-pyramid');
  assert.is(t.subject.backbone.kind, 'substitute');
  assert.is(t.background.backbone.kind, 'substitute');
  assert.is(t.aesthetic, null);
  assert.is(t.imaging, null);
});

test('a manifest of ONNX files replaces each stand-in with the network', async () => {
  writeModel(dir, 'raft.onnx', flowGraph());
  writeModel(dir, 'amt.onnx', interpolatorGraph());
  writeModel(dir, 'enc.onnx', poolEncoderGraph());
  writeModel(dir, 'head.onnx', linearHeadGraph([1, 0, 0], 0));
  writeModel(dir, 'musiq.onnx', sumScorerGraph());
  const file = path.join(dir, 'onnx.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      raft: { file: 'raft.onnx' },
      amt: { file: 'amt.onnx' },
      dino: { file: 'enc.onnx' },
      clip_b32: { file: 'enc.onnx' },
      clip_l14: { file: 'enc.onnx' },
      laion_aesthetic: { file: 'head.onnx' },
      musiq: { file: 'musiq.onnx' },
    }),
  );
  const t = await loadToolkit(readManifest(file), { report: quiet });
  assert.is(t.flow.name, 'onnx:raft.onnx');
  assert.is(t.interpolator.name, 'onnx:amt.onnx');
  assert.equal(t.subject.backbone, { kind: 'network', name: 'dino-vitb16' });
  assert.equal(t.background.backbone, { kind: 'network', name: 'clip-vitb32' });
  assert.equal(t.aesthetic?.backbone.name, 'clip-vitl14 + LAION head');
  assert.equal(t.imaging?.backbone.name, 'musiq-spaq');
  // RAFT alone: the flow-warp interpolator runs on RAFT's flow
  const only = path.join(dir, 'raft-only.json');
  writeFileSync(only, JSON.stringify({ version: 1, raft: { file: 'raft.onnx' } }));
  const r = await loadToolkit(readManifest(only), { report: quiet });
  assert.is(r.interpolator.name, 'flow-warp:onnx:raft.onnx');
  assert.is(r.subject.backbone.kind, 'substitute');
});

test.run();
