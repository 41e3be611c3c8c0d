/**
 * The scale model (python/pyramid_bench_models/scale_dit.py, packages/scale/): the committed manifests are the
 * generator's output; the manifests' parameter counts are the module's; the block-by-block attention equals dense
 * attention under the block-causal mask; weights depend only on the seed; a bad config is refused at load with
 * the key named. Skipped, saying why, where Debian's python3-torch is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rowFlops } from '../../../src/models/contract/cost-model.ts';
import { defaultPython, loadTorchPackage } from '../../../src/models/torch/package.ts';
import { rejects } from '../../helpers/assert.ts';
// @ts-expect-error: a plain .mjs script without type declarations
import { parameterCount, scalePackages } from '../../../packages/scale/generate.mjs';
import { hasTorch, torchMissing } from '../../helpers/torch.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const scaleDir = path.join(root, 'packages', 'scale');

function python(script: string): string {
  const r = spawnSync(defaultPython(), ['-c', script], { cwd: path.join(root, 'python'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

test('the committed scale manifests are generate.mjs output, and say their weights are random', () => {
  const generated = scalePackages() as Record<string, unknown>;
  const committed = readdirSync(scaleDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  assert.equal(committed, Object.keys(generated).sort());
  for (const name of committed) {
    const manifest = JSON.parse(readFileSync(path.join(scaleDir, name, 'manifest.json'), 'utf8'));
    assert.equal(manifest, generated[name], name);
    assert.match(manifest.description, /RANDOM WEIGHTS/);
    assert.match(manifest.description, /meaningless/);
  }
});

test('manifest parameter counts are the module parameter counts (mini built; sd3 and miniflux by formula)', () => {
  if (!hasTorch) {
    torchMissing();
    return;
  }
  const manifests = ['mini-pyramid', 'mini-full', 'mini-cascade'].map((n) =>
    JSON.parse(readFileSync(path.join(scaleDir, n, 'manifest.json'), 'utf8')),
  );
  const out = python(`
import json, sys
from pyramid_bench_models.scale_dit import build, parameter_count
manifests = json.loads(${JSON.stringify(JSON.stringify(manifests))})
built = [sum(sum(p.numel() for p in build({"role": n["role"], "network": n, "weights": [], "config": n["torch"]["config"], "package": m, "directory": ""}).parameters()) for n in m["networks"]) for m in manifests]
formula = {k: parameter_count(hidden=c[0], joint_depth=c[1], single_depth=c[2], cond_tokens=128, labels=1, channels=16, patch=2, low_res=c[3]) for k, c in {"sd3": (1536, 24, 0, False), "sd3-sr": (1536, 24, 0, True), "miniflux": (1920, 8, 16, False)}.items()}
print(json.dumps({"built": built, "formula": formula}))
`);
  const r = JSON.parse(out);
  assert.equal(
    r.built,
    manifests.map((m) => m.cost.parameters),
  );
  const sd3 = { hidden: 1536, heads: 24, joint_depth: 24, single_depth: 0, cond_tokens: 128 };
  const miniflux = { hidden: 1920, heads: 30, joint_depth: 8, single_depth: 16, cond_tokens: 128 };
  assert.is(parameterCount(sd3, 1, 16, false), r.formula.sd3);
  assert.is(parameterCount(sd3, 1, 16, true), r.formula['sd3-sr']);
  assert.is(parameterCount(miniflux, 1, 16, false), r.formula.miniflux);
  // the SD3-based checkpoint's DiT is about 2B parameters (pyramid-flow.md section 7)
  assert.ok(r.formula.sd3 > 1.9e9 && r.formula.sd3 < 2.2e9, `${r.formula.sd3}`);
});

test('block-causal attention equals dense attention under the block-causal mask; weights depend only on the seed', () => {
  if (!hasTorch) {
    torchMissing();
    return;
  }
  const out = python(`
import json, math, torch
from pyramid_bench_models.scale_dit import block_causal_attention, build
g = torch.Generator().manual_seed(0)
q, k, v = (torch.randn(2, 3, 23, 8, generator=g, dtype=torch.float64) for _ in range(3))
bounds = [4, 9, 15, 23]
mask = torch.zeros(23, 23, dtype=torch.bool)
mask[: bounds[0], :] = True
for start, end in zip(bounds[:-1], bounds[1:]):
    mask[start:end, :end] = True
w = (q @ k.transpose(-1, -2) / math.sqrt(8)).masked_fill(~mask, float("-inf")).softmax(-1)
dense = w @ v
got = block_causal_attention(q, k, v, bounds)
m = json.load(open("../packages/scale/mini-full/manifest.json"))
n = m["networks"][0]
spec = lambda seed: {"role": "full", "network": n, "weights": [], "config": {**n["torch"]["config"], "seed": seed}, "package": m, "directory": ""}
a, b, c = build(spec(5)), build(spec(5)), build(spec(6))
same = all(torch.equal(x, y) for x, y in zip(a.parameters(), b.parameters()))
differ = any(not torch.equal(x, y) for x, y in zip(a.parameters(), c.parameters()))
print(json.dumps({"err": float((got - dense).abs().max()), "same": same, "differ": differ}))
`);
  const r = JSON.parse(out);
  assert.ok(r.err < 1e-12, `max |block - dense| = ${r.err}`);
  assert.ok(r.same, 'same seed, same weights');
  assert.ok(r.differ, 'another seed, other weights');
});

test("the module's FLOPs per call are the harness FLOP model's for the same blocks (pyramid, full AR, super-resolution)", () => {
  if (!hasTorch) {
    torchMissing();
    return;
  }
  // counted in Python: 2 in out per token row of every token-wise Linear (the per-call timestep and modulation
  // Linears take [B, d] and are left out, as the FLOP model leaves them out), 4 d per attended query-key pair
  const out = python(`
import json, torch
import pyramid_bench_models.scale_dit as sd
def count(name, feeds, which=0):
    m = json.load(open("../packages/scale/" + name + "/manifest.json"))
    n = m["networks"][which]
    net = sd.build({"role": n["role"], "network": n, "weights": [], "config": n["torch"]["config"], "package": m, "directory": ""})
    flops = [0]
    def hook(mod, inp, _):
        x = inp[0]
        if x.dim() >= 3:
            flops[0] += 2 * mod.in_features * mod.out_features * (x.numel() // x.shape[-1])
    for mod in net.modules():
        if isinstance(mod, torch.nn.Linear):
            mod.register_forward_hook(hook)
    plain = sd._attention
    def attention(q, k, v):
        flops[0] += 4 * q.shape[0] * q.shape[1] * q.shape[3] * q.shape[2] * k.shape[2]
        return plain(q, k, v)
    sd._attention = attention
    with torch.no_grad():
        net(**feeds)
    sd._attention = plain
    return flops[0] / feeds["x"].shape[0]
r = lambda *s: torch.randn(*s)
B = 2
common = {"timestep": torch.full((B,), 500.0), "label": torch.tensor([1, 0])}
pyramid = count("mini-pyramid", {**common, "x": r(B, 4, 1, 8, 8), "frame0": torch.tensor([2]), "level": torch.tensor([1]),
    "hist_0": r(B, 4, 1, 16, 16), "hist_1": r(B, 4, 0, 8, 8), "hist_2": r(B, 4, 1, 4, 4), "hist_layout": torch.tensor([[1, 1], [0, 0], [0, 1]])})
full = count("mini-full", {**common, "x": r(B, 4, 1, 16, 16), "frame0": torch.tensor([2]), "hist_0": r(B, 4, 2, 16, 16), "hist_layout": torch.tensor([[0, 2]])})
sr = count("mini-cascade", {**common, "x": r(B, 4, 3, 16, 16), "low_res": r(B, 4, 3, 16, 16)}, which=2)
print(json.dumps({"pyramid": pyramid, "full": full, "sr": sr}))
`);
  const r = JSON.parse(out);
  const cost = (name: string) => JSON.parse(readFileSync(path.join(scaleDir, name, 'manifest.json'), 'utf8')).cost;
  // pyramid at stage 1 (8x8): history block at level 2 (1 frame of 4x4: 4 tokens), at level 0 (1 frame of 16x16: 64), current 16
  assert.is(r.pyramid, rowFlops(cost('mini-pyramid'), [4, 64, 16]));
  // full resolution, autoregressive: 2 history frames then the current one, 64 tokens each
  assert.is(r.full, rowFlops(cost('mini-full'), [128, 64]));
  // the last super-resolution stage: 3 frames of 16x16 at once (its input has x and the low-resolution frames)
  assert.is(r.sr, rowFlops(cost('mini-cascade'), [192]));
});

test('a bad scale config is refused at load, naming the key and what is allowed', async () => {
  if (!hasTorch) {
    torchMissing();
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'scale-test-'));
  try {
    cpSync(path.join(scaleDir, 'mini-full'), dir, { recursive: true });
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.networks[0].torch.config.hiden = 64;
    writeFileSync(file, JSON.stringify(manifest));
    await rejects(() => loadTorchPackage(`${dir}?threads=1`), /unknown config keys \['hiden'\].*allowed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
