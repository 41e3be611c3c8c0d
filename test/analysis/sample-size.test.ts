import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleSizeRequirements } from '../../src/analysis/sample-size.ts';
import type { Results } from '../../src/suite/contract/results.ts';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';

const value = (v: number, uncertainty: MetricValue['uncertainty'], headline = true): MetricValue => ({
  key: 'fd',
  label: '',
  value: v,
  unit: '',
  direction: 'lower',
  uncertainty,
  measured: false,
  headline,
});

const results = (a: MetricValue[], b: MetricValue[], samples = 100) =>
  ({
    methods: [
      { id: 'a', samples, metrics: { fd: { version: 1, values: a } } },
      { id: 'b', samples, metrics: { fd: { version: 1, values: b } } },
    ],
  }) as unknown as Results;

test('the samples needed scale the pilot count by (z * combined stderr / difference)^2', () => {
  // difference 1, stderrs 0.3 and 0.4 -> combined 0.5; at z = 3: 100 * (1.5 / 1)^2 = 225
  const [r] = sampleSizeRequirements(
    results([value(2, { kind: 'stderr', stderr: 0.3, n: 4, method: '' })], [value(1, { kind: 'stderr', stderr: 0.4, n: 4, method: '' })]),
  );
  assert.equal([r.a, r.b, r.difference, r.pilotSamples, r.samplesNeeded], ['a', 'b', 1, 100, 225]);
  assert.ok(Math.abs(r.stderr - 0.5) < 1e-12);
});

test('an interval gives its normal standard error; values without one, or not headline, are left out', () => {
  // a 95% interval of half-width 1.959964 is a stderr of 1; two of them combine to sqrt 2; difference 4, z 2 -> 100 * (2 sqrt2 / 4)^2 = 50
  const interval = (v: number) =>
    value(v, { kind: 'interval', low: v - 1.959963984540054, high: v + 1.959963984540054, level: 0.95, n: 30, method: '' });
  const [r] = sampleSizeRequirements(results([interval(5)], [interval(1)]), 2);
  assert.is(r.samplesNeeded, 50);
  assert.equal(sampleSizeRequirements(results([value(1, { kind: 'exact', reason: '' })], [value(2, { kind: 'exact', reason: '' })])), []);
  assert.equal(
    sampleSizeRequirements(
      results(
        [value(1, { kind: 'stderr', stderr: 1, n: 2, method: '' }, false)],
        [value(2, { kind: 'stderr', stderr: 1, n: 2, method: '' }, false)],
      ),
    ),
    [],
  );
  assert.throws(() => sampleSizeRequirements(results([], []), 0), /z is 0; allowed: a positive number/);
});

test.run();
