import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuite } from '../src/suite/suite-schema.ts';
import { planRun } from '../src/suite/plan.ts';
import { runSuite } from '../src/suite/runner.ts';
import { readManifest } from '../src/features/manifest.ts';
import { extractors } from '../src/features/registry.ts';

// The metric protocols and their stand-ins are runner suites: the real ones validate and name their files; the
// stand-ins run here as written.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'suites-'));
const suite = (name: string) => loadSuite(path.join(root, 'suites', `${name}.yaml`)).suite;
const quiet = { write: () => undefined, tty: false, now: () => performance.now() };

for (const name of ['imagenet256-fid', 'celebahq256-fd', 'shapes-fid-standin', 'shapes-fd-standin']) {
  test(`${name}: parses; every fd metric's extractor is registered or a manifest that parses`, () => {
    const s = suite(name);
    assert.is(s.name, name);
    const fds = s.metrics.filter((m) => m.name === 'fd');
    assert.ok(fds.length > 0);
    for (const m of fds) {
      const o = m.options as { extractor: string };
      if (!extractors.has(o.extractor)) assert.ok(readManifest(path.join(root, o.extractor)).name.length > 0, o.extractor);
    }
  });
}

test('the real protocols: 50,000 images; ImageNet class-balanced against the ADM reference batch with pytorch-fid numerics; CelebA-HQ two extractors', async () => {
  const imagenet = suite('imagenet256-fid');
  assert.equal([imagenet.samples, imagenet.conditions.kind, imagenet.frames], [50000, 'class-balanced', 1]);
  const fid = imagenet.metrics.find((m) => m.key === 'fid')!.options as { reference: { kind: string; path: string }; compat: string };
  assert.equal([fid.reference.path, fid.compat], ['references/VIRTUAL_imagenet256_labeled.npz', 'pytorch-fid']);
  const celeba = suite('celebahq256-fd');
  assert.equal([celeba.samples, celeba.conditions.kind], [50000, 'unconditional']);
  assert.equal(
    celeba.metrics.map((m) => m.key),
    ['fd-inception', 'fd-dinov2', 'cost'],
  );
  // without the model argument the method waits for --arg model=... (validate lists it; run refuses)
  const plan = await planRun(loadSuite(path.join(root, 'suites', 'imagenet256-fid.yaml')), {}, { deferMissingArgs: true });
  assert.equal([plan.methods.length, plan.deferred.map((d) => d.missingArgs)], [0, [['model']]]);
});

test('the stand-ins run as written: FD with its floor, KID and precision/recall; a file reference gives its own FD', async () => {
  const fidPlan = await planRun(loadSuite(path.join(root, 'suites', 'shapes-fid-standin.yaml')), {});
  const { results: fid } = await runSuite(fidPlan, {
    out: path.join(dir, 'fid'),
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });
  const values = Object.fromEntries(fid.methods[0].metrics.fid.values.map((v) => [v.key, v]));
  assert.ok(values.fd.value! > 0 && values.fdFloor.value! > 0 && values.fd.uncertainty.kind === 'stderr', JSON.stringify(values.fd));
  assert.ok(Number.isFinite(values.kid.value) && values.precision.value! >= 0 && values.precision.value! <= 1 && values.recall.value! >= 0);
  const fdPlan = await planRun(loadSuite(path.join(root, 'suites', 'shapes-fd-standin.yaml')), {});
  const { results: fd } = await runSuite(fdPlan, {
    out: path.join(dir, 'fd'),
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });
  const m = fd.methods[0].metrics;
  assert.equal(Object.keys(m), ['fd-suite-reference', 'fd-file-reference', 'cost']);
  const viaFile = m['fd-file-reference'].values;
  assert.equal(
    viaFile.map((v) => v.key),
    ['fd'],
  );
  assert.match(viaFile[0].label, /shapes data set|shapes:n=400/);
  assert.ok(viaFile[0].value! > 0);
});

test.run();
