/**
 * The TypeScript samplers on a tiny ONNX export against training/reference_sampler.py (PyTorch, on the export's
 * PyTorch weights), on the same recorded noise. The reference restates the harness's own schedule and history code
 * (training/common.py follows src/models/contract/schedule.ts and src/samplers/pyramid/temporal-pyramid.ts), so this
 * is an internal consistency check between two implementations of one reading of Pyramid-Flow, not evidence of
 * fidelity to the official code (jy0205/Pyramid-Flow), which is not run here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz } from '../../../src/io/npy.ts';
import { loadOnnxPackage } from '../../../src/models/onnx/package.ts';
import { samplers } from '../../../src/samplers/index.ts';
import type { SampleItem } from '../../../src/samplers/contract/sampling.ts';
import { RecordingNoise } from '../../../src/io/recording-noise.ts';
import { hasTorch, torchMissing } from '../../helpers/torch.ts';

// The PyTorch recipe runs under Debian's python3 with python3-torch (installed by ./setup.sh).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const python = '/usr/bin/python3';
const dir = mkdtempSync(path.join(tmpdir(), 'reference-test-'));

function exportTiny(kind: string): string {
  const out = path.join(dir, `pkg-${kind}`);
  execFileSync(
    python,
    [
      path.join(root, 'training/export.py'),
      '--kind',
      kind,
      '--init',
      '--dim',
      '32',
      '--depth',
      '2',
      '--heads',
      '2',
      '--frames',
      '3',
      '--seed',
      '3',
      '--out',
      out,
      '--keep-torch',
    ],
    { stdio: 'pipe' },
  );
  return out;
}

const cases: [string, string, unknown, number[], [number, number]][] = [
  ['pyramid', 'pyramid', { stepsPerStage: [3, 2, 2], videoStepsPerStage: [2, 2, 2] }, [3, 2, 2], [3, 2]],
  ['full', 'full', { steps: 4, temporal: 'joint' }, [4], [1, 2]],
  ['cascade', 'cascade', { stepsPerStage: [3, 2] }, [3, 2], [2, 2]],
];

for (const [kind, sampler, settings, steps, guidance] of cases) {
  test(`the TypeScript ${sampler} sampler on the ONNX export matches the PyTorch reference sampler (same noise, 2e-4)`, async () => {
    if (!hasTorch) {
      torchMissing();
      return;
    }
    const pkg = exportTiny(kind);
    const models = await loadOnnxPackage(pkg, { threads: 1, report: () => undefined });
    const items: SampleItem[] = [0, 1, 2].map((i) => ({ index: 10 + i, condition: { kind: 'class', label: (2 * i + 1) % 6 } }));
    const noise = new RecordingNoise(5);
    const s = samplers.get(sampler);
    const result = await s.sample(
      models,
      { items, frames: 3, guidance: { firstFrame: guidance[0], video: guidance[1] }, settings: s.parseSettings(settings, models) },
      noise,
    );
    writeFileSync(path.join(dir, `${kind}-noise.npz`), noise.toNpz());
    const plan = {
      labels: items.map((i) => (i.condition as { label: number }).label),
      indices: items.map((i) => i.index),
      frames: 3,
      guidance,
      steps,
      video_steps: [2, 2, 2],
    };
    writeFileSync(path.join(dir, `${kind}-plan.json`), JSON.stringify(plan));
    const ref = path.join(dir, `${kind}-ref.npz`);
    execFileSync(
      python,
      [
        path.join(root, 'training/reference_sampler.py'),
        '--package',
        pkg,
        '--sampler',
        sampler,
        '--noise',
        path.join(dir, `${kind}-noise.npz`),
        '--plan',
        path.join(dir, `${kind}-plan.json`),
        '--out',
        ref,
      ],
      { stdio: 'pipe' },
    );
    const expected = decodeNpz(readFileSync(ref)).samples;
    assert.equal(expected.shape, [...result.samples.shape]);
    const a = result.samples.data;
    const b = expected.data as Float32Array;
    let err = 0;
    let scale = 0;
    for (let i = 0; i < a.length; i++) {
      err = Math.max(err, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    console.log(`  ${sampler}: max abs difference ${err.toExponential(2)} (scale ${scale.toFixed(2)})`);
    assert.ok(err <= 5e-5 * Math.max(scale, 1), `max abs difference ${err} (scale ${scale})`);
  });
}

test.run();
