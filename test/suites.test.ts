import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readManifest } from '../src/features/manifest.ts';
import { extractors } from '../src/features/registry.ts';

// The metric suites are plain YAML (the suite runner and its schema live on another branch); these checks keep
// the files honest: required fields, extractors that exist, and the stand-ins run as written through the CLI.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'suites-'));
// asynchronous, so that the two stand-ins run side by side
const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
const suite = (name: string) => parse(readFileSync(path.join(root, 'suites', `${name}.yaml`), 'utf8'));

for (const name of ['imagenet256-fid', 'celebahq256-fd', 'shapes-fid-standin', 'shapes-fd-standin']) {
  test(`${name}: every field present; each metric's extractor is registered or a manifest that parses`, () => {
    const s = suite(name);
    for (const key of ['version', 'name', 'task', 'models', 'sampler', 'samples', 'labels', 'images', 'metrics']) assert.ok(s[key] !== undefined, `${name} lacks '${key}'`);
    assert.is(s.name, name);
    assert.ok(['class-balanced', 'unconditional'].includes(s.labels.policy));
    for (const m of s.metrics) {
      assert.ok(['frechet-distance', 'precision-recall', 'kid'].includes(m.metric), m.metric);
      assert.ok(Number.isInteger(m.version) && ['lower', 'higher'].includes(m.direction));
      if (!extractors.has(m.extractor)) assert.ok(readManifest(path.join(root, m.extractor)).name.length > 0);
      assert.ok(m.reference.path || m.reference.input, `${name}/${m.name} has no reference`);
    }
  });
}

test('the real protocols: 50,000 samples; ImageNet class-balanced over 1000 classes against the ADM reference batch', () => {
  const imagenet = suite('imagenet256-fid');
  assert.is(imagenet.samples.n, 50000);
  assert.equal([imagenet.labels.policy, imagenet.labels.classes], ['class-balanced', 1000]);
  assert.equal([imagenet.metrics[0].reference.path, imagenet.metrics[0].reference.format], ['references/VIRTUAL_imagenet256_labeled.npz', 'adm']);
  assert.is(suite('celebahq256-fd').samples.n, 50000);
});

/** Runs a stand-in as written: sample, then the distance of the samples to each metric's reference input. */
async function runStandIn(name: string): Promise<void> {
  const s = suite(name);
  const out = path.join(dir, `${name}.npz`);
  const sampleArgs = ['sample', '--model', s.models[0].ref, '--sampler', s.sampler.name, '--n', String(s.samples.n), '--seed', String(s.samples.seed), '--out', out, '--settings', JSON.stringify(s.sampler.settings)];
  sampleArgs.push('--guidance', `${s.sampler.guidance.first_frame},${s.sampler.guidance.video}`);
  if (s.labels.policy === 'unconditional') sampleArgs.push('--unconditional');
  const sampled = await cli(...sampleArgs);
  assert.is(sampled.status, 0, sampled.stderr);
  assert.ok(existsSync(out));
  for (const m of s.metrics) {
    const r = await cli('fd', out, m.reference.input, '--extractor', m.extractor, '--frame', String(s.images.frame), '--compat', m.compat, '--json');
    assert.is(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.counts, [s.samples.n, Number(/n=(\d+)/.exec(m.reference.input)![1])], `${name}/${m.name} counts`);
    assert.ok(j.fd > 0 && Number.isFinite(j.fd), `${name}/${m.name}: fd ${j.fd}`);
    assert.equal(j.warnings, []);
  }
}

test('the stand-ins run as written (side by side): sample, then the distance to the reference input', async () => {
  await Promise.all(['shapes-fid-standin', 'shapes-fd-standin'].map(runStandIn));
});

test.run();
