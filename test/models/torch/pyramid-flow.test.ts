/**
 * The official-checkpoint adapter (python/pyramid_bench_models/pyramid_flow.py and make_pyramid_flow_package.py)
 * against a stand-in clone of jy0205/Pyramid-Flow with the official names and call signatures
 * (test/helpers/pyramid-flow-fake.ts): the package the script writes loads on the real torch engine, the pyramid
 * sampler runs a 3-frame video through it, and what the stand-in DiT, text encoders and VAE receive is compared
 * with what the official `generate` / `decode_latent` (commit 3040d71) would pass them: the per-stage history list
 * (order, resolutions, frames and values), the timestep of every call, the packed text (T5 embeddings, mask,
 * pooled) per row, and the latent scaling before decode. Nothing here runs the real weights. Skipped, saying why,
 * where Debian's python3-torch is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import type { Tensor } from '../../../src/core/tensor.ts';
import { readManifest } from '../../../src/models/package/manifest.ts';
import { defaultPython, loadTorchPackage } from '../../../src/models/torch/package.ts';
import { samplers } from '../../../src/samplers/index.ts';
import { rejects } from '../../helpers/assert.ts';
import { type FakeVariant, writeFakePyramidFlowRepo, writeFakePyramidFlowWeights } from '../../helpers/pyramid-flow-fake.ts';
import { hasTorch, torchMissing } from '../../helpers/torch.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const script = path.join(root, 'python', 'pyramid_bench_models', 'make_pyramid_flow_package.py');
const dir = mkdtempSync(path.join(tmpdir(), 'pyramid-flow-'));
const repo = writeFakePyramidFlowRepo(path.join(dir, 'Pyramid-Flow'));

const NEGATIVE =
  'cartoon style, worst quality, low quality, blurry, absolute black, absolute white, low res, extra limbs, extra digits, misplaced objects, mutated anatomy, monochrome, horror';
/** Image-latent shift and scale of `PyramidDiTForVideoGeneration.__init__`, and the video ones (both variants). */
const IMAGE = { sd3: { shift: 0.149, scale: 1 / 1.8415 }, miniflux: { shift: -0.04, scale: 1 / 1.8726 } };
const VIDEO = { shift: -0.2343, scale: 1 / 3.0986 };

function makePackage(variant: FakeVariant, extra: string[] = []) {
  const log = path.join(dir, `${variant}.log`);
  const weights = writeFakePyramidFlowWeights(path.join(dir, `weights-${variant}`), variant, log);
  const out = path.join(dir, `package-${variant}`);
  const r = spawnSync(
    defaultPython(),
    [script, '--repo', repo, '--weights', weights, '--variant', variant, '--frames', '3', '--out', out, ...extra],
    { encoding: 'utf8' },
  );
  return { log, weights, out, r };
}

/**
 * `PyramidFlowMatchEulerDiscreteScheduler` (init_sigmas_for_each_stage, set_timesteps) with shift 1, 1000
 * training steps, stage_range [0, 1/3, 2/3, 1], gamma 1/3: the timesteps of stage `stage` for `n` steps.
 */
function officialTimesteps(stage: number, n: number): number[] {
  const T = 1000;
  const range = [0, 1 / 3, 2 / 3, 1];
  const gamma = 1 / 3;
  const timesteps = Array.from({ length: T }, (_, i) => T - i);
  const sigmas = timesteps.map((t) => t / T);
  const distance: number[] = [];
  for (let s = 0; s < 3; s++) {
    const startIndex = Math.trunc(range[s] * T);
    const endIndex = Math.min(Math.trunc(range[s + 1] * T), T);
    let start = sigmas[startIndex];
    const end = endIndex < T ? sigmas[endIndex] : 0;
    if (s !== 0) {
      const ori = 1 - start;
      start = 1 - (1 / (Math.sqrt(1 + 1 / gamma) * (1 - ori) + ori)) * ori;
    }
    distance.push(start - end);
  }
  const total = distance.reduce((a, b) => a + b, 0);
  const r0 = stage === 0 ? 0 : distance.slice(0, stage).reduce((a, b) => a + b, 0) / total;
  const r1 = stage === 2 ? 1 : distance.slice(0, stage + 1).reduce((a, b) => a + b, 0) / total;
  const max = timesteps[Math.trunc(r0 * T)];
  const min = timesteps[Math.min(Math.trunc(r1 * T), T - 1)];
  const first = max;
  const last = max + ((min - max) * (T - 1)) / T; // linspace(max, min, T + 1)[:-1], its last entry
  return Array.from({ length: n }, (_, i) => (n === 1 ? first : first + ((last - first) * i) / (n - 1)));
}

/**
 * The history `generate` builds for unit `unit` (>= 1) at stage `stage` (3 stages, frame_per_unit 1), oldest first:
 * [stage whose resolution, first frame, end frame) over the `unit` frames generated so far.
 */
function officialHistory(unit: number, stage: number): { stage: number; start: number; end: number }[] {
  const G = unit; // 1 + (unit - 1) frames
  const clip = (s: number, from: number, to: number) => ({ stage: s, start: Math.max(from, 0), end: to });
  const input = [clip(stage, G - 1, G)];
  let cur = stage;
  let ptx = 1;
  while (ptx < unit) {
    cur = Math.max(cur - 1, 0);
    if (cur === 0) break;
    ptx += 1;
    input.push(clip(cur, G - ptx, G - (ptx - 1)));
  }
  if (cur === 0 && ptx < unit) input.push(clip(0, 0, G - ptx));
  return input.filter((c) => c.end > c.start).reverse();
}

/** Sum and sum of squares of row `row`'s frames [start, end) taken down `level` times by 2x2 means (get_pyramid_latent). */
function pooledStats(samples: Tensor, row: number, start: number, end: number, level: number): [number, number] {
  const [, C, F, H, W] = samples.shape;
  const k = 2 ** level;
  let sum = 0;
  let sumsq = 0;
  for (let c = 0; c < C; c++)
    for (let f = start; f < end; f++)
      for (let y = 0; y < H / k; y++)
        for (let x = 0; x < W / k; x++) {
          let m = 0;
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++) m += samples.data[(((row * C + c) * F + f) * H + y * k + dy) * W + x * k + dx];
          m /= k * k;
          sum += m;
          sumsq += m * m;
        }
  return [sum, sumsq];
}

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

// biome-ignore lint/suspicious/noExplicitAny: the stand-ins' JSON-lines log
const readLog = (file: string): any[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

if (!hasTorch) {
  test('the PyTorch tests need torch', torchMissing);
} else {
  for (const variant of ['sd3', 'miniflux'] as const) {
    test(`${variant}: the written package pins every weights file and carries the official settings`, () => {
      const { r, out } = makePackage(variant);
      assert.is(r.status, 0, r.stderr);
      const m = readManifest(out);
      assert.is(m.kind, 'pyramid');
      assert.equal(m.sample, { space: 'latent', channels: 16, frames: 3, height: 48, width: 80, fps: 24 });
      const pooled = variant === 'sd3' ? 20 : 6;
      // 128 T5 tokens of width 16, the mask in 8 rows, the pooled embedding in 1 or 2 rows
      assert.equal(m.conditioning, { kind: 'text', tokens: 128 + 8 + Math.ceil(pooled / 16), dim: 16, negativePrompt: NEGATIVE });
      assert.equal(m.defaults, { guidance: { firstFrame: 7, video: 5 }, stepsPerStage: [20, 20, 20], videoStepsPerStage: [10, 10, 10] });
      assert.equal(m.temporal, { mode: 'autoregressive', framesPerUnit: 1 });
      assert.is(m.pyramid?.stages, 3);
      const depth = variant === 'sd3' ? 2 : 3;
      assert.equal(m.cost, {
        parameters: 42,
        hidden: 8,
        depth,
        mlpRatio: 4,
        conditionTokens: 128,
        attention: 'block-causal',
        inputFlopsPerToken: 2 * 64 * 8,
        outputFlopsPerToken: 2 * 8 * 64,
      });
      assert.is(m.patchSize, 2);
      const files = [
        ...(m.networks[0].torch?.weights ?? []),
        ...(m.torch?.decoder?.weights ?? []),
        ...(m.torch?.conditionEncoder?.weights ?? []),
      ];
      assert.is(files.length, variant === 'sd3' ? 2 + 1 + 6 : 2 + 1 + 4);
      assert.ok(files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)));
    });

    test(`${variant}: a 3-frame video through torch:<package> and the pyramid sampler gives the official DiT the inputs generate() would, and the VAE the official unscaled latents`, async () => {
      const { r, out, log } = makePackage(variant);
      assert.is(r.status, 0, r.stderr);
      rmSync(log, { force: true });
      const models = await loadTorchPackage(`${out}?threads=1`);
      let samples: Tensor;
      try {
        const prompts = ['a red fox in the snow', 'a blue car'];
        const items = await Promise.all(prompts.map(async (p, index) => ({ index, condition: await models.conditioner!.encode(p) })));
        const s = samplers.get('pyramid');
        const result = await s.sample(
          models,
          {
            items,
            frames: 3,
            guidance: { firstFrame: 7, video: 5 },
            settings: s.parseSettings({ stepsPerStage: [2, 1, 3], videoStepsPerStage: [1, 2, 1] }, models),
          },
          new PhiloxNoise(5),
        );
        samples = result.samples;
        await models.decoder!.decode(samples);
      } finally {
        await models.close();
      }
      const entries = readLog(log);
      const encoded = new Map(entries.filter((e) => e.kind === 'encode').map((e) => [e.prompt, e]));
      const negative = encoded.get(NEGATIVE);
      assert.ok(negative, 'the negative prompt was encoded by the official text encoders');
      const rowsText = ['a red fox in the snow', 'a blue car'].map((p) => [...encoded.values()].find((e) => e.prompt.startsWith(p)));
      assert.ok(rowsText.every(Boolean), 'both prompts were encoded');
      // rows: [negative, negative, prompt 0, prompt 1], as generate concatenates [negative_prompt_embeds, prompt_embeds]
      const rowText = [negative, negative, ...rowsText];
      const calls = entries.filter((e) => e.kind === 'dit');
      assert.ok(calls.every((c) => c.dit === (variant === 'sd3' ? 'mmdit' : 'flux')));
      let k = 0;
      for (let unit = 0; unit < 3; unit++) {
        const steps = unit === 0 ? [2, 1, 3] : [1, 2, 1];
        for (let stage = 0; stage < 3; stage++) {
          const expectedTimesteps = officialTimesteps(stage, steps[stage]);
          const level = 2 - stage;
          for (let step = 0; step < steps[stage]; step++) {
            const c = calls[k++];
            const where = `unit ${unit}, stage ${stage}, step ${step}`;
            assert.ok(c, `${where}: no call`);
            assert.equal(c.x, [4, 16, 1, 48 / 2 ** level, 80 / 2 ** level], `${where}: x`);
            for (const t of c.timestep) close(t, expectedTimesteps[step], 1e-6, `${where}: timestep_ratio`);
            c.text.forEach((v: number, row: number) => close(v, rowText[row].text, 1e-5, `${where}: row ${row} T5 embeddings`));
            c.mask.forEach((v: number, row: number) => assert.is(v, rowText[row].mask, `${where}: row ${row} mask`));
            c.pooled.forEach((v: number, row: number) => close(v, rowText[row].pooled, 1e-5, `${where}: row ${row} pooled`));
            const history = unit === 0 ? [] : officialHistory(unit, stage);
            assert.is(c.clips.length, history.length, `${where}: history clips`);
            history.forEach((h, i) => {
              const l = 2 - h.stage;
              assert.equal(c.clips[i].shape, [4, 16, h.end - h.start, 48 / 2 ** l, 80 / 2 ** l], `${where}: clip ${i}`);
              for (let row = 0; row < 4; row++) {
                const [sum, sumsq] = pooledStats(samples, row % 2, h.start, h.end, l);
                close(c.clips[i].sum[row], sum, 1e-4, `${where}: clip ${i} row ${row} sum`);
                close(c.clips[i].sumsq[row], sumsq, 1e-4, `${where}: clip ${i} row ${row} sum of squares`);
              }
            });
          }
        }
      }
      assert.is(k, calls.length, 'no other DiT calls');
      const decode = entries.find((e) => e.kind === 'decode');
      assert.ok(decode, 'the VAE decoded');
      assert.equal([decode.temporal_chunk, decode.window_size, decode.tile_sample_min_size], [true, 1, 256]);
      const values = 16 * 48 * 80;
      for (let row = 0; row < 2; row++)
        for (let f = 0; f < 3; f++) {
          const { shift, scale } = f === 0 ? IMAGE[variant] : VIDEO;
          let sum = 0;
          for (let i = 0; i < values / 16; i++)
            for (let ch = 0; ch < 16; ch++) sum += samples.data[((row * 16 + ch) * 3 + f) * (48 * 80) + i];
          close(decode.frameSums[row][f], sum / scale + shift * values, 1e-4, `decode row ${row} frame ${f}`);
        }
    });
  }

  test('the packed text condition at the released sizes (T5 128 x 4096, pooled 2048 or 768) unpacks to the same embeddings, mask and pooled values', () => {
    const code = `
import sys, torch
sys.path.insert(0, ${JSON.stringify(path.join(root, 'python'))})
from pyramid_bench_models.pyramid_flow import pack_text, unpack_text
for pooled_dim in (2048, 768):
    layout = {"t5Tokens": 128, "dim": 4096, "pooledDim": pooled_dim, "tokens": 130}
    g = torch.Generator().manual_seed(pooled_dim)
    e, q = torch.randn(128, 4096, generator=g), torch.randn(pooled_dim, generator=g)
    m = torch.zeros(128, dtype=torch.int64); m[:17] = 1
    packed = pack_text(e, m, q, layout)
    assert list(packed.shape) == [130, 4096]
    e2, m2, q2 = unpack_text(torch.stack([packed, packed]), layout)
    assert torch.equal(e2[1], e) and torch.equal(m2[1], m) and m2.dtype == torch.int64 and torch.equal(q2[1], q)
try:
    unpack_text(torch.zeros(2, 129, 4096), layout)
except ValueError as err:
    print(err)
`;
    const r = spawnSync(defaultPython(), ['-c', code], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout.trim(), "text condition has shape [2, 129, 4096]; the package's layout is [B, 130, 4096]");
  });

  test('make_pyramid_flow_package.py refuses a folder that is not a clone, and a download without the DiT, in one line naming the value', () => {
    const weights = writeFakePyramidFlowWeights(path.join(dir, 'weights-refuse'), 'sd3', path.join(dir, 'x.log'));
    const notRepo = spawnSync(
      defaultPython(),
      [script, '--repo', dir, '--weights', weights, '--variant', 'sd3', '--out', path.join(dir, 'x')],
      {
        encoding: 'utf8',
      },
    );
    assert.is(notRepo.status, 2);
    assert.match(notRepo.stderr, /--repo .*: no pyramid_dit\/pyramid_dit_for_video_gen_pipeline.py there; allowed: a clone of/);
    assert.is(notRepo.stderr.trim().split('\n').length, 1);
    const r768 = spawnSync(
      defaultPython(),
      [script, '--repo', repo, '--weights', weights, '--variant', 'sd3', '--resolution', '768p', '--out', path.join(dir, 'x')],
      { encoding: 'utf8' },
    );
    assert.is(r768.status, 2);
    assert.match(r768.stderr, /diffusion_transformer_768p\/config.json is missing/);
  });

  test('a package whose clone is gone is refused at load, naming the folder', async () => {
    const { r, out } = makePackage('sd3');
    assert.is(r.status, 0, r.stderr);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const moved = path.join(dir, 'package-moved');
    spawnSync('cp', ['-al', out, moved]);
    m.networks[0].torch.config.repo = path.join(dir, 'nowhere');
    m.torch.decoder.config.repo = path.join(dir, 'nowhere');
    m.torch.conditionEncoder.config.repo = path.join(dir, 'nowhere');
    rmSync(path.join(moved, 'manifest.json')); // a hard link to the first package's: replaced, not written through
    writeFileSync(path.join(moved, 'manifest.json'), JSON.stringify(m));
    await rejects(async () => {
      const set = await loadTorchPackage(moved);
      await set.close();
    }, /nowhere' \(the Pyramid-Flow clone\) has no pyramid_dit\/__init__.py/);
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
