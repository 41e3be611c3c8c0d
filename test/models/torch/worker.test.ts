/**
 * The PyTorch engine with stand-in networks (test/helpers/torch-package.ts): the same velocities as the ONNX
 * engine, options, and every fault the worker can meet, each refused or reported with the package, the call and
 * the worker's stderr. Skipped, saying why, where Debian's python3-torch is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { loadModelSet } from '../../../src/models/load.ts';
import { loadOnnxPackage } from '../../../src/models/onnx/package.ts';
import { NonFiniteOutputError } from '../../../src/models/package/feeds.ts';
import { defaultPython, loadTorchPackage, parseTorchReference, type TorchModelSet } from '../../../src/models/torch/package.ts';
import { samplers } from '../../../src/samplers/index.ts';
import { rejects } from '../../helpers/assert.ts';
import { badInput, fault } from '../../helpers/case-ledger.ts';
import { type TorchToyOptions, writeTorchToyPackage } from '../../helpers/torch-package.ts';
import { hasTorch, torchMissing } from '../../helpers/torch.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'torch-test-'));
let counter = 0;
const toy = (options: TorchToyOptions = {}) => writeTorchToyPackage(path.join(dir, `p${counter++}`), options);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const input = (rows = 2) => ({
  x: new Tensor(
    [rows, 3, 3, 8, 8],
    Float32Array.from({ length: rows * 3 * 3 * 64 }, (_, i) => Math.sin(i)),
  ),
  flow: { kind: 'full' } as const,
  ratio: 0.5,
  timestep: 500,
  conditions: Array.from({ length: rows }, (_, r) => (r % 2 ? { kind: 'unconditional' as const } : { kind: 'class' as const, label: 1 })),
  history: [],
  firstFrame: 0,
});

test('torch: references: options parsed; an unknown option or a bad value is refused naming it and what is allowed', async () => {
  const r = parseTorchReference('checkpoints/x?device=cuda:1&dtype=bfloat16&threads=3&timeout=30&python=/opt/py');
  assert.equal(r.directory, 'checkpoints/x');
  assert.equal(r.options, { python: '/opt/py', device: 'cuda:1', dtype: 'bfloat16', threads: 3, timeoutSeconds: 30 });
  const cases: [string, RegExp][] = [
    ['d?devices=cpu', /unknown option 'devices'; allowed: device, dtype, threads, python, timeout/],
    ['d?device=gpu', /device 'gpu' is not allowed; allowed: cpu, cuda, cuda:N/],
    ['d?dtype=float64', /dtype 'float64' is not allowed; allowed: float32, bfloat16, float16/],
    ['d?threads=0', /threads '0' is not allowed/],
    ['d?timeout=-1', /timeout '-1' is not allowed/],
  ];
  for (const [reference, message] of cases)
    await badInput('model engines', `torch:${reference}`, () => assert.throws(() => parseTorchReference(reference), message));
});

if (!hasTorch) {
  test('the PyTorch tests need torch', torchMissing);
} else {
  test('the same package gives the same velocities and samples on the PyTorch and ONNX engines; the set says its device', async () => {
    const p = toy();
    const onnx = await loadOnnxPackage(p, { threads: 1, report: () => undefined });
    const torch = (await loadModelSet(`torch:${p}?threads=1`)) as TorchModelSet;
    try {
      assert.is(torch.device.kind, 'cpu');
      assert.match(torch.device.runtime, /^PyTorch .*float32, CPU, 1 threads$/);
      assert.ok(torch.hash !== onnx.hash, 'the engines are told apart in sample keys');
      const a = await onnx.full!.predict(input());
      const b = await torch.full!.predict(input());
      assert.equal([...b.shape], [...a.shape]);
      a.data.forEach((v, i) => assert.ok(Math.abs(v - b.data[i]) <= 1e-6 * Math.max(1, Math.abs(v))));
      const s = samplers.get('full');
      const run = async (models: typeof onnx | TorchModelSet) =>
        (
          await s.sample(
            models,
            {
              items: [{ index: 0, condition: { kind: 'class', label: 0 } }],
              guidance: { firstFrame: 2, video: 2 },
              settings: s.parseSettings({ steps: 4 }, models),
            },
            new PhiloxNoise(3),
          )
        ).samples.data;
      const sa = await run(onnx);
      const sb = await run(torch);
      sa.forEach((v, i) => assert.ok(Math.abs(v - sb[i]) <= 1e-5 * Math.max(1, Math.abs(v))));
    } finally {
      await onnx.close();
      await torch.close();
      await torch.close();
    }
  });

  test('a text package with a PyTorch condition encoder and decoder: prompts encoded in the worker, latents decoded there', async () => {
    const p = toy({
      text: true,
      channels: 4,
      manifest: (m) => {
        m.torch.decoder = { weights: [], config: {}, fps: 12 };
        m.torch.conditionEncoder = { weights: [], config: {} };
      },
    });
    const models = await loadTorchPackage(p);
    try {
      const condition = await models.conditioner!.encode('AB');
      assert.equal(condition.kind, 'text');
      // the stand-in encodes UTF-8 bytes / 255 into [4, 2]
      assert.equal(
        Array.from((condition as { embedding: Float32Array }).embedding),
        [65, 66, 0, 0, 0, 0, 0, 0].map((b) => Math.fround(b / 255)),
      );
      const latents = new Tensor(
        [1, 4, 3, 8, 8],
        Float32Array.from({ length: 4 * 3 * 64 }, (_, i) => (i % 7) - 3),
      );
      const pixels = await models.decoder!.decode(latents);
      assert.equal([...pixels.shape], [1, 3, 3, 8, 8]);
      assert.ok(Math.abs(pixels.data[5] - Math.tanh(latents.data[5])) < 1e-6);
      assert.is(models.decoder!.fps, 12);
      const v = await models.full!.predict({
        ...input(2),
        x: new Tensor([2, 4, 3, 8, 8], new Float32Array(2 * 4 * 3 * 64).fill(1)),
        conditions: [condition, { kind: 'unconditional' }],
      });
      assert.is(v.data[0], 0.5);
    } finally {
      await models.close();
    }
  });

  test('a model that prints to stdout does not disturb the protocol', async () => {
    const models = await loadTorchPackage(toy({ mode: 'print' }));
    try {
      for (let k = 0; k < 3; k++) assert.is((await models.full!.predict(input())).data[1], Math.fround(0.5 * Math.fround(Math.sin(1))));
    } finally {
      await models.close();
    }
  });

  test('a NaN from the network is refused with the call (flow, ratio, timestep), not passed on', async () => {
    await fault('model engines', 'a NaN from the network', async () => {
      const models = await loadTorchPackage(toy({ mode: 'nan' }));
      try {
        for (let k = 0; k < 3; k++) await models.full!.predict(input());
        await rejects(
          () => models.full!.predict(input()),
          /torch:toy\/full \(PyTorch worker\): the network returned NaN at output value 0 \(row 0\) for flow \{"kind":"full"\}, ratio 0.5, timestep 500/,
        );
        try {
          await models.full!.predict(input());
        } catch (error) {
          assert.instance(error, NonFiniteOutputError);
        }
      } finally {
        await models.close();
      }
    });
  });

  test('a worker that crashes mid-run: the call in flight and every later call fail naming the package, the call, the exit and the stderr tail', async () => {
    await fault('model engines', 'a worker that crashes mid-run', async () => {
      const models = await loadTorchPackage(toy({ mode: 'crash' }));
      for (let k = 0; k < 3; k++) await models.full!.predict(input());
      await rejects(
        () => models.full!.predict(input()),
        /torch:.*p\d+: the PyTorch worker \(pid \d+\) exited with code 7 during velocity call of torch:toy\/full \(flow \{"kind":"full"\}, 2 rows of 3x8x8, timestep 500\)/,
      );
      await rejects(() => models.full!.predict(input()), /exited with code 7; velocity call .* was not sent/);
      await models.close();
    });
  });

  test('an exception inside a call fails that call with the exception and where it was raised (no traceback); the worker serves on', async () => {
    await fault('model engines', 'an exception inside a call', async () => {
      const models = await loadTorchPackage(toy({ mode: 'fail' }));
      try {
        for (let k = 0; k < 3; k++) await models.full!.predict(input());
        await rejects(
          () => models.full!.predict(input()),
          /velocity call of torch:toy\/full .* failed in the PyTorch worker: RuntimeError: CUDA out of memory \(stand-in\) \(raised at .*toy_torch.py:\d+ in forward\)$/,
        );
        const again = await models.memoryReport!();
        assert.ok(again.workerMaxRssBytes! > 0 && again.devicePeakBytes === null);
      } finally {
        await models.close();
      }
    });
  });

  test('a worker killed from outside mid-run is reported as killed, with its pid', async () => {
    await fault('model engines', 'a worker killed mid-run', async () => {
      const models = await loadTorchPackage(toy());
      await models.full!.predict(input());
      process.kill(models.workerPid!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      await rejects(
        () => models.full!.predict(input()),
        new RegExp(`the PyTorch worker \\(pid ${models.workerPid}\\) was killed by SIGKILL`),
      );
      await models.close();
    });
  });

  test('a hung worker is killed after the timeout and the call fails saying so', async () => {
    await fault('model engines', 'a hung worker', async () => {
      const models = await loadTorchPackage(`${toy({ mode: 'hang' })}?timeout=1.5`);
      const pid = models.workerPid!;
      for (let k = 0; k < 3; k++) await models.full!.predict(input());
      await rejects(() => models.full!.predict(input()), /gave no answer within 2 s and was killed \(hung\?\) during velocity call/);
      await new Promise((r) => setTimeout(r, 200));
      assert.not.ok(alive(pid), 'the hung worker is gone');
      await models.close();
    });
  });

  test('load-time faults are refused before any sampling: a module that does not import, a factory that raises, missing or changed weights, a bad interpreter, a package without a torch section, a missing CUDA device', async () => {
    const missing = toy();
    rmSync(path.join(missing, 'scale.txt'));
    const changed = toy();
    writeFileSync(path.join(changed, 'scale.txt'), '0.25\n');
    const plain = toy({
      manifest: (m) => {
        delete m.torch;
        delete m.networks[0].torch;
      },
    });
    const cases: [string, string, RegExp][] = [
      [
        'a module that does not import',
        toy({ module: 'no_such_module' }),
        /cannot import module 'no_such_module' \(for full\): ModuleNotFoundError/,
      ],
      ['a factory that raises', toy({ mode: 'raise' }), /toy_torch:build failed to build full: KeyError: 'blocks.9.qkv.weight'/],
      ['missing weights', missing, /PyTorch weights \(full\) file scale.txt is missing/],
      ['changed weights', changed, /PyTorch weights \(full\) file scale.txt is corrupt or changed: sha256 [0-9a-f]{64}, the manifest says/],
      [
        'an interpreter that does not exist',
        `${toy()}?python=/nonexistent/python3`,
        /cannot start the PyTorch worker with '\/nonexistent\/python3': spawn \/nonexistent\/python3 ENOENT/,
      ],
      [
        'a package without a torch section',
        plain,
        /the manifest has no torch section \(module, factory\), so it cannot run on the PyTorch engine; run it with onnx:/,
      ],
      [
        'a CUDA device that is not there',
        `${toy()}?device=cuda:7`,
        hasCuda() ? /only \d+ CUDA device/ : /device 'cuda:7' asked for, but torch .* sees no CUDA device/,
      ],
    ];
    for (const [what, reference, message] of cases)
      await badInput('model engines', what, () => rejects(() => loadTorchPackage(reference), message));
  });

  test('kill -9 of the harness leaves no worker behind', async () => {
    await fault('model engines', 'kill -9 of the harness with a worker', async () => {
      const p = toy();
      const script = path.join(dir, 'hold.mts');
      writeFileSync(
        script,
        `import { loadTorchPackage } from ${JSON.stringify(path.resolve('src/models/torch/package.ts'))};\nconst m = await loadTorchPackage(${JSON.stringify(p)});\nconsole.log(String(m.workerPid));\nsetInterval(() => {}, 1000);\n`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pid = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      assert.ok(alive(pid), 'the worker runs while the harness holds it');
      child.kill('SIGKILL');
      const deadline = Date.now() + 5000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.not.ok(alive(pid), `worker ${pid} outlived the harness`);
    });
  });
}

function hasCuda(): boolean {
  return (
    spawnSync(defaultPython(), ['-c', 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)'], { stdio: 'ignore' }).status ===
    0
  );
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
