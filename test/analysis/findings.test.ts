/**
 * The findings of a run on hand-made results: the best method on each quality value and whether it beats the
 * runner-up (intervals, then the paired test), missing data said, the cost sentence, monotonicity along a sweep,
 * the agreement of two distances' rankings.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findings, methodLabels, sig, type PairedTest } from '../../src/analysis/findings.ts';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import type { Results } from '../../src/suite/contract/results.ts';

const se = (stderr: number): MetricValue['uncertainty'] => ({ kind: 'stderr', stderr, n: 4, method: 'jackknife' });
const ci = (low: number, high: number): MetricValue['uncertainty'] => ({
  kind: 'interval',
  low,
  high,
  level: 0.95,
  n: 8,
  method: 'bootstrap',
});
const exact: MetricValue['uncertainty'] = { kind: 'exact', reason: 'planned' };

/** A headline value, lower is better, with a standard error of 0.1 unless told. */
const val = (key: string, value: number | null, extra: Partial<MetricValue> = {}): MetricValue => ({
  key,
  label: '',
  value,
  unit: 'u',
  direction: 'lower',
  uncertainty: se(0.1),
  measured: false,
  headline: true,
  ...extra,
});

interface MethodSpec {
  readonly name?: string;
  readonly sweep?: Record<string, unknown>;
  readonly costSource?: string;
  readonly metrics: Record<string, readonly MetricValue[] | { error: string }>;
}

function results(methods: Record<string, MethodSpec>, metrics: readonly { name: string; id?: string; options?: unknown }[] = []): Results {
  return {
    partial: false,
    shards: { count: 1, included: [0] },
    locked: { metrics: metrics.map((m) => ({ version: 1, options: {}, ...m })) },
    methods: Object.entries(methods).map(([id, m]) => ({
      id,
      name: m.name ?? id,
      slug: id,
      sweep: m.sweep ?? {},
      samples: 100,
      costSource: m.costSource ?? 'architecture',
      metrics: Object.fromEntries(
        Object.entries(m.metrics).map(([k, v]) => [
          k,
          'error' in v ? { version: 1, values: [], error: v.error } : { version: 1, values: v },
        ]),
      ),
    })),
  } as unknown as Results;
}

const texts = (r: Results, paired?: PairedTest) => findings(r, paired ? { paired } : {}).items.map((f) => f.text);
const FD = [{ name: 'fd-pixel' }];

test('numbers in 3 significant digits, exponent form for large and small ones', () => {
  assert.is(sig(37742837760), '3.77e10');
  assert.is(sig(0.000123456), '1.23e-4');
  assert.is(sig(1.2999), '1.3');
  assert.is(sig(123.456), '123');
  assert.is(sig(-0.0218), '-0.0218');
  assert.is(sig(0), '0');
  assert.is(sig(1.23456, 4), '1.235');
});

test('the best method beats the runner-up when the intervals do not overlap; values with their 95% intervals', () => {
  const r = results(
    {
      a: { metrics: { 'fd-pixel': [val('fd', 2)] } },
      b: { metrics: { 'fd-pixel': [val('fd', 1)] } },
      c: { metrics: { 'fd-pixel': [val('fd', 3)] } },
    },
    FD,
  );
  let asked = 0;
  const [sentence] = texts(r, () => {
    asked++;
    return { reason: 'not asked' };
  });
  // 1 ± 1.96 x 0.1 = [0.804, 1.196], the ends with the value's 2 decimals
  assert.is(
    sentence,
    'fd-pixel fd, lower is better: b is best at 1.00 [0.80, 1.20], better than a at 2.00 [1.80, 2.20] (the intervals do not overlap).',
  );
  assert.is(asked, 0, 'no paired test where the intervals already settle it');
  const higher = results({
    a: { metrics: { acc: [val('accuracy', 0.8, { direction: 'higher', uncertainty: ci(0.78, 0.82) })] } },
    b: { metrics: { acc: [val('accuracy', 0.9, { direction: 'higher', uncertainty: ci(0.88, 0.92) })] } },
  });
  assert.is(
    texts(higher)[0],
    'acc accuracy, higher is better: b is best at 0.900 [0.880, 0.920], better than a at 0.800 [0.780, 0.820] (the intervals do not overlap).',
  );
});

test('overlapping intervals: the paired test decides when there is one; else not distinguishable at this sample count', () => {
  const r = results(
    {
      a: { metrics: { 'fd-pixel': [val('fd', 1.1)] } },
      b: { metrics: { 'fd-pixel': [val('fd', 1)] } },
      c: { metrics: { 'fd-pixel': [val('fd', 1.2)] } },
    },
    FD,
  );
  const head = 'fd-pixel fd, lower is better: b is best at 1.00 [0.80, 1.20]';
  assert.is(
    texts(r)[0],
    `${head}, not distinguishable from a at 1.10 [0.90, 1.30] with 100 samples per method (the intervals overlap); 1 more method overlaps it too.`,
  );
  const questions: string[] = [];
  const resolved: PairedTest = (q) => {
    questions.push(`${q.metric} ${q.key} ${q.best.id} ${q.other.id}`);
    return { difference: 0.1, low: 0.04, high: 0.16, level: 0.95, n: 100, basis: 'paired bootstrap' };
  };
  assert.is(
    texts(r, resolved)[0],
    `${head}, better than a at 1.10 [0.90, 1.30]: the intervals overlap, but the paired difference (a minus b) is 0.1 [0.04, 0.16] over 100 samples; 1 more method overlaps it too.`,
  );
  assert.equal(questions, ['fd-pixel fd b a']);
  const unresolved: PairedTest = () => ({ difference: 0.1, low: -0.02, high: 0.22, level: 0.95, n: 100, basis: 'paired bootstrap' });
  assert.match(
    texts(r, unresolved)[0],
    /not distinguishable from a at 1\.10 \[0\.90, 1\.30\] with 100 samples per method: the intervals overlap and the paired difference \(a minus b\) is 0\.1 \[-0\.02, 0\.22\]/,
  );
  assert.match(texts(r, () => ({ reason: 'no state files' }))[0], /\(the intervals overlap; no paired test: no state files\)/);
});

test('missing data is said: a metric not computed, not run, a null value with its note, an invalid measurement (never ranked)', () => {
  const r = results(
    {
      a: { metrics: { m: [val('k', 2, { uncertainty: ci(1.9, 2.1) })] } },
      b: { metrics: { m: { error: 'needs the merge' } } },
      c: { metrics: { m: [val('k', null, { note: 'measured in shard 0 only' })] } },
      d: {
        metrics: {
          m: [val('k', 0.5, { uncertainty: ci(0.4, 0.6), validity: { valid: false, rule: 'p99 needs >= 299 observations, has 8' } })],
        },
      },
      e: { metrics: {} },
      f: { metrics: { m: [val('k', 3, { uncertainty: ci(2.9, 3.1) })] } },
    },
    [],
  );
  assert.is(
    texts(r)[0],
    'm k, lower is better: a is best at 2.00 [1.90, 2.10], better than f at 3.00 [2.90, 3.10] (the intervals do not overlap). Not ranked: b: not computed: needs the merge; c: n/a (measured in shard 0 only); d: invalid: p99 needs >= 299 observations, has 8; e: not measured.',
  );
  const one = results({ a: { metrics: { m: [val('k', 2)] } }, b: { metrics: { m: [val('k', null)] } } });
  assert.is(texts(one)[0], 'm k, lower is better: only a has a value, 2.00 [1.80, 2.20]. Not ranked: b: n/a.');
  const none = results({ a: { metrics: { m: [val('k', null, { note: 'why' })] } } });
  assert.is(texts(none)[0], 'm k, lower is better: no method has a value to rank. Not ranked: a: n/a (why).');
  const noInterval = results({
    a: { metrics: { m: [val('k', 1, { uncertainty: { kind: 'none', reason: 'one chunk' } })] } },
    b: { metrics: { m: [val('k', 2)] } },
  });
  assert.is(
    texts(noInterval)[0],
    "m k, lower is better: a is best at 1; whether it beats b at 2.00 [1.80, 2.20] cannot be judged: a's value has no interval (one chunk).",
  );
  const exacts = results({
    a: { metrics: { m: [val('k', 1, { uncertainty: exact })] } },
    b: { metrics: { m: [val('k', 2, { uncertainty: exact })] } },
  });
  assert.is(texts(exacts)[0], 'm k, lower is better: a is best at 1, better than b at 2 (exact values).');
  const nothing = results({ a: { metrics: { cost: [val('nfe', 4, { uncertainty: exact })] } } }, [{ name: 'cost' }]);
  assert.match(texts(nothing)[0], /^No headline quality value with a direction/);
  assert.match(
    findings({ ...nothing, partial: true, shards: { count: 2, included: [1] } }).items[0].text,
    /^These results are partial \(shards 1 of 2\)/,
  );
});

test('ties for best are named; close values get the digits that tell them apart', () => {
  const tie = results({
    a: { metrics: { d: [val('d', 1, { direction: 'higher', uncertainty: ci(1, 1) })] } },
    b: { metrics: { d: [val('d', 1, { direction: 'higher', uncertainty: ci(1, 1) })] } },
    c: { metrics: { d: [val('d', 0.966, { direction: 'higher', uncertainty: ci(0.943, 0.985) })] } },
  });
  assert.is(texts(tie)[0], 'd, higher is better: a and b tie for best at 1.00 [1.00, 1.00]; next is c at 0.966 [0.943, 0.985].');
  const close = results({
    a: { metrics: { m: [val('k', 0.97251, { uncertainty: ci(0.9723, 0.9727) })] } },
    b: { metrics: { m: [val('k', 0.97212, { uncertainty: ci(0.9719, 0.9723) })] } },
  });
  assert.match(texts(close)[0], /b is best at 0\.9721 \[0\.9719, 0\.9723\], not distinguishable from a at 0\.9725 \[0\.9723, 0\.9727\]/);
  const small = results({
    a: { metrics: { m: [val('k', 0.0168, { uncertainty: ci(-0.000706, 0.0344) })] } },
    b: { metrics: { m: [val('k', 0.0242, { uncertainty: ci(-0.00001, 0.0441) })] } },
  });
  assert.match(texts(small)[0], /a is best at 0\.0168 \[-0\.0007, 0\.0344\], not distinguishable from b at 0\.0242 \[0\.0000, 0\.0441\]/);
  const large = results({
    c: { metrics: { m: [val('k', 1240, { uncertainty: ci(831, 2440) })] } },
    d: { metrics: { m: [val('k', 3000, { uncertainty: ci(2900, 3100) })] } },
  });
  assert.match(texts(large)[0], /c is best at 1240 \[831, 2440\], better than d at 3000 \[2900, 3100\]/);
  const narrow = results({
    a: { metrics: { m: [val('k', 0.98523, { direction: 'higher', uncertainty: ci(0.98457, 0.9859) })] } },
    b: { metrics: { m: [val('k', 0.9833, { direction: 'higher', uncertainty: ci(0.9823, 0.9843) })] } },
  });
  assert.match(texts(narrow)[0], /a is best at 0\.9852 \[0\.9846, 0\.9859\], better than b at 0\.9833 \[0\.9823, 0\.9843\]/);
});

test('preferred questions come first; values of cost and throughput, direction none and non-headline values are not quality questions', () => {
  const r = results(
    {
      a: {
        metrics: {
          fvd: [val('fd', 1), val('fdFloor', 0.5, { direction: 'none' }), val('fdOverFloor', 2, { headline: false })],
          acc: [val('accuracy', 0.9, { direction: 'higher' })],
          cost: [val('flopsPerSample', 10, { uncertainty: exact })],
          throughput: [val('framesPerSecond', 5, { direction: 'higher' })],
        },
      },
    },
    [
      { name: 'fd', id: 'fvd', options: { extractor: 'random-conv3d-8f-v1' } },
      { name: 'shapes-class-accuracy', id: 'acc' },
      { name: 'cost' },
      { name: 'throughput' },
    ],
  );
  const f = findings(r).items.filter((i) => i.topic === 'quality');
  assert.equal(
    f.map((i) => i.text.split(':')[0]),
    ['acc accuracy, higher is better', 'fvd fd (random-conv3d-8f-v1 features), lower is better'],
  );
});

test('the cost sentence: the best method against the others, swept variants grouped, missing values said', () => {
  const quality = (v: number) => ({ fd: [val('fd', v)] });
  const cost = (flops: number) => [val('flopsPerSample', flops, { uncertainty: exact })];
  const fps = (v: number | null, low = 0, high = 0) => [
    val('framesPerSecond', v, {
      direction: 'higher',
      measured: true,
      uncertainty: ci(low, high),
      ...(v === null ? { note: 'samples from another machine' } : {}),
    }),
  ];
  const r = results(
    {
      cascade: { metrics: { ...quality(1), cost: cost(3.77e10), throughput: fps(16.3, 15.7, 16.9) } },
      full: { metrics: { ...quality(2), cost: cost(6.47e10), throughput: fps(9.77, 9.55, 10.1) } },
      p1: {
        name: 'pyramid',
        sweep: { checkpoint: 'ckpt/step1' },
        metrics: { ...quality(3), cost: cost(4.1e10), throughput: fps(6.83, 6, 7) },
      },
      p2: {
        name: 'pyramid',
        sweep: { checkpoint: 'ckpt/step2' },
        metrics: { ...quality(3.5), cost: cost(4.1e10), throughput: fps(12.2, 10.6, 14.3) },
      },
      slow: { metrics: { ...quality(4), cost: { error: 'no records' }, throughput: fps(16, 15, 17) } },
    },
    [{ name: 'fd' }, { name: 'cost' }, { name: 'throughput' }],
  );
  const c = findings(r).items.find((i) => i.topic === 'cost')!.text;
  assert.is(
    c,
    "Cost of cascade (best by fd): 3.77e10 FLOP per video: 0.583x full's, 0.92x pyramid's (all 2 variants), no comparison with slow (not computed: no records); 16.3 [15.7, 16.9] frames/s: 1.67x full's 9.77 [9.55, 10.10], 1.34-2.39x pyramid's 2 variants (6.83-12.2), 1.02x slow's 16.0 [15.0, 17.0] (intervals overlap).",
  );
  const noFps = results(
    {
      a: { costSource: 'notional', metrics: { ...quality(1), cost: cost(100), throughput: fps(null) } },
      b: { metrics: { ...quality(2), cost: cost(200), throughput: fps(3, 2, 4) } },
    },
    [{ name: 'fd' }, { name: 'cost' }, { name: 'throughput' }],
  );
  assert.is(
    findings(noFps).items.find((i) => i.topic === 'cost')!.text,
    "Cost of a (best by fd): 100 FLOP per video (notional): 0.5x b's; frames/s: n/a (samples from another machine).",
  );
  const costOnly = results(
    { a: { metrics: { cost: cost(100), throughput: fps(2, 1, 3) } }, b: { metrics: { cost: cost(50), throughput: fps(5, 4, 6) } } },
    [{ name: 'cost' }, { name: 'throughput' }],
  );
  assert.is(
    findings(costOnly).items.find((i) => i.topic === 'cost')!.text,
    "Cost of b (the most frames/s): 50 FLOP per video: 0.5x a's; 5.00 [4.00, 6.00] frames/s: 2.5x a's 2.00 [1.00, 3.00].",
  );
  const flopsOnly = results({ a: { metrics: { cost: cost(100) } }, b: { metrics: { cost: cost(50) } } }, [{ name: 'cost' }]);
  assert.match(
    findings(flopsOnly).items.find((i) => i.topic === 'cost')!.text,
    /^Cost of b \(the fewest FLOPs\): 50 FLOP per video: 0\.5x a's; frames\/s: not measured/,
  );
  const noMetrics = results({ a: { metrics: quality(1) }, b: { metrics: quality(2) } }, [{ name: 'fd' }]);
  assert.is(
    findings(noMetrics).items.find((i) => i.topic === 'cost')!.text,
    'Cost of a (best by fd): FLOPs per video: not measured (the suite has no cost metric); frames/s: not measured (the suite has no throughput metric).',
  );
});

test('a sweep: values in sweep order with intervals, and whether they improve monotonically', () => {
  const r = results({
    s4: { name: 'p', sweep: { steps: 4 }, metrics: { m: [val('k', 2, { uncertainty: ci(1.9, 2.1) })] } },
    s2: { name: 'p', sweep: { steps: 2 }, metrics: { m: [val('k', 3, { uncertainty: ci(2.9, 3.1) })] } },
    s8: { name: 'p', sweep: { steps: 8 }, metrics: { m: [val('k', 1.95, { uncertainty: ci(1.85, 2.05) })] } },
    other: { metrics: { m: [val('k', 5)] } },
  });
  const sweep = findings(r).items.filter((i) => i.topic === 'sweep');
  assert.equal(
    sweep.map((i) => i.text),
    [
      'm k, lower is better, p along steps (2 → 4 → 8): 3.00 [2.90, 3.10] → 2.00 [1.90, 2.10] → 1.95 [1.85, 2.05]; improves at every step; the step 4 to 8 is not resolved (intervals overlap, or are missing).',
    ],
  );
  // overlapping intervals: a paired difference that excludes 0 resolves the step; one that includes 0 does not
  const asked: string[] = [];
  const paired = (excludes: boolean) => (q: { best: { id: string }; other: { id: string } }) => {
    asked.push(`${q.best.id} vs ${q.other.id}`);
    return { difference: 0.05, low: excludes ? 0.01 : -0.01, high: 0.09, level: 0.95, n: 96, basis: 'test' };
  };
  assert.match(
    findings(r, { paired: paired(true) }).items.find((i) => i.topic === 'sweep')!.text,
    /improves at every step, every step resolved \(4 to 8 by the paired difference\)\.$/,
  );
  assert.ok(asked.length > 0 && asked.every((a) => a === 's8 vs s4'), asked.join('; ')); // the step asks later-vs-earlier (the best method's sentence asks the same pair)
  assert.match(
    findings(r, { paired: paired(false) }).items.find((i) => i.topic === 'sweep')!.text,
    /the step 4 to 8 is not resolved \(intervals overlap and the paired difference includes 0, or are missing\)\.$/,
  );
  const bumpy = results({
    a: { name: 'p', sweep: { checkpoint: 'x/step1000' }, metrics: { m: [val('k', 2.55, { uncertainty: ci(2.41, 2.7) })] } },
    b: { name: 'p', sweep: { checkpoint: 'x/step2000' }, metrics: { m: [val('k', 2.9, { uncertainty: ci(2.84, 2.96) })] } },
    c: { name: 'p', sweep: { checkpoint: 'x/final' }, metrics: { m: [val('k', 1.71, { uncertainty: ci(1.59, 1.83) })] } },
  });
  assert.is(
    findings(bumpy).items.find((i) => i.topic === 'sweep')!.text,
    'm k, lower is better, p along checkpoint (step1000 → step2000 → final): 2.55 [2.41, 2.70] → 2.90 [2.84, 2.96] → 1.71 [1.59, 1.83]; not monotonic: worse from step1000 to step2000 (resolved), better from step2000 to final (resolved).',
  );
  const worse = results({
    a: { name: 'p', sweep: { s: 1 }, metrics: { m: [val('k', 1, { uncertainty: ci(0.9, 1.1) })] } },
    b: { name: 'p', sweep: { s: 2 }, metrics: { m: [val('k', 2, { uncertainty: ci(1.9, 2.1) })] } },
  });
  assert.match(findings(worse).items.find((i) => i.topic === 'sweep')!.text, /; gets worse at every step, every step resolved\.$/);
  const gap = results({
    a: { name: 'p', sweep: { s: 1 }, metrics: { m: [val('k', 1)] } },
    b: { name: 'p', sweep: { s: 2 }, metrics: { m: { error: 'failed' } } },
  });
  assert.is(
    findings(gap).items.find((i) => i.topic === 'sweep')!.text,
    'm k, lower is better, p along s (1 → 2): cannot say whether it improves; no value at 2: not computed: failed.',
  );
});

test('two distances: Kendall tau between their rankings, its exact p-value, and whether they pick the same best method', () => {
  const methods = (xs: number[], ys: number[]) =>
    Object.fromEntries(xs.map((x, i) => [`m${i}`, { metrics: { fvd: [val('fd', x)], fid: [val('fd', ys[i])] } }]));
  const metrics = [
    { name: 'fd', id: 'fvd', options: { extractor: 'clip-net' } },
    { name: 'fd', id: 'fid', options: { extractor: 'frame-net' } },
  ];
  const disagree = results(methods([2.55, 2.9, 1.71, 1.23, 0.996], [1.3, 1.19, 1.71, 2.87, 2.29]), metrics);
  assert.is(
    findings(disagree).items.find((i) => i.topic === 'agreement')!.text,
    "fvd fd (clip-net features) and fid fd (frame-net features) rank the 5 methods with Kendall's tau -0.8 (1: the same order, -1: reversed; exact p = 0.083 against unrelated rankings); they pick different best methods: m4 by the first, m1 by the second.",
  );
  const agree = results(methods([1, 2, 3, 4], [10, 20, 40, 30]), metrics);
  assert.match(
    findings(agree).items.find((i) => i.topic === 'agreement')!.text,
    /Kendall's tau 0\.67 .*exact p = 0\.33 .*; they pick the same best method, m0\.$/,
  );
  const tied = results(methods([1, 1, 3], [1, 2, 3]), metrics);
  assert.match(
    findings(tied).items.find((i) => i.topic === 'agreement')!.text,
    /ties: no exact p-value\); they pick different best methods: m0 and m1 by the first, m0 by the second\.$/,
  );
  const flat = results(methods([1, 1], [1, 2]), metrics);
  assert.match(findings(flat).items.find((i) => i.topic === 'agreement')!.text, /one of them gives all 2 methods the same value/);
  const sparse = results(
    { a: { metrics: { fvd: [val('fd', 1)], fid: [val('fd', 2)] } }, b: { metrics: { fvd: [val('fd', 2)], fid: { error: 'x' } } } },
    metrics,
  );
  assert.match(
    findings(sparse).items.find((i) => i.topic === 'agreement')!.text,
    /fewer than 2 methods have both values, so their rankings cannot be compared \(1 method left out: no usable value in both\)\.$/,
  );
});

test('method labels: the name with its sweep values (a path by its last part); ids where those collide', () => {
  const r = results({
    'pyramid [checkpoint=onnx:checkpoints/shapes-pyramid-step1000]': {
      name: 'pyramid',
      sweep: { checkpoint: 'onnx:checkpoints/shapes-pyramid-step1000' },
      metrics: {},
    },
    full: { metrics: {} },
  });
  assert.equal([...methodLabels(r).values()], ['pyramid [checkpoint=shapes-pyramid-step1000]', 'full']);
  const clash = results({
    'p [c=a/x]': { name: 'p', sweep: { c: 'a/x' }, metrics: {} },
    'p [c=b/x]': { name: 'p', sweep: { c: 'b/x' }, metrics: {} },
  });
  assert.equal([...methodLabels(clash).values()], ['p [c=a/x]', 'p [c=b/x]']);
});

test.run();
