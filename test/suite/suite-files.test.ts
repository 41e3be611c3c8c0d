import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shippedSuites } from '../../src/suite/suite-files.ts';

test('the shipped suites are listed with their descriptions', () => {
  assert.equal(shippedSuites.names(), [
    'analytic.yaml',
    'celebahq256-fd.yaml',
    'default-pilot.yaml',
    'default.yaml',
    'gpu-throughput-mini.yaml',
    'gpu-throughput.yaml',
    'imagenet256-fid.yaml',
    'shapes-fd-standin.yaml',
    'shapes-fid-standin.yaml',
    'vbench.yaml',
  ]);
  assert.match(shippedSuites.list().find((s) => s.name === 'vbench.yaml')!.description, /^suites\/vbench\.yaml: VBench protocol/);
  assert.match(shippedSuites.get('default.yaml'), /suites\/default\.yaml$/);
});

test.run();
