/**
 * What a run found, a plain sentence per question, for the top of the report and the end of `pyramid-bench run`:
 *
 *  - per headline quality value with a direction (every headline value of a metric other than `cost` and
 *    `throughput`: distances, accuracies, VBench dimensions): the best method with its interval, the runner-up
 *    with its, and whether the difference is resolved (the intervals do not overlap; where they overlap, a paired
 *    test when the caller supplies one, else "not distinguishable at this sample count");
 *  - the cost of the best method (of the first question) against the others: FLOPs per video and frames/s;
 *  - per swept method and quality value: whether it improves monotonically along the sweep;
 *  - per pair of distances (`fd` values, e.g. two feature spaces): Kendall's tau between their rankings of the
 *    methods, and whether they pick the same best method.
 *
 * Missing data is said, never skipped: a method whose metric was not computed, a null value (with its note), an
 * invalid measurement (with its rule; never ranked). A pure function of the results (and of the optional paired
 * test), so the same results give the same sentences.
 */
import { kendallTau, kendallTauExactP } from '../core/statistics.ts';
import type { Direction, MetricValue } from '../suite/contract/plugin.ts';
import type { MethodResult, Results } from '../suite/contract/results.ts';
import { valueInterval } from './summary.ts';

/** One sentence (or two) answering one question. */
export interface Finding {
  /** run: the results as a whole; quality: best method on one value; cost; sweep: monotonicity; agreement: two rankings. */
  readonly topic: 'run' | 'quality' | 'cost' | 'sweep' | 'agreement';
  readonly text: string;
}

/** The findings and the criterion their "better than" rests on. */
export interface Findings {
  readonly items: readonly Finding[];
  readonly criterion: string;
}

/** A paired interval of `other - best` (same unit as the value) and how it was made. */
export interface PairedDifference {
  readonly difference: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
  readonly n: number;
  readonly basis: string;
}

/** A paired test of two methods on one value, or why there is none (`method-difference.ts` reads a run's folder). */
export type PairedTest = (question: {
  readonly metric: string;
  readonly key: string;
  readonly best: MethodResult;
  readonly other: MethodResult;
}) => PairedDifference | { readonly reason: string };

/** How to find. */
export interface FindingsOptions {
  /** Asked only where the best and the runner-up's intervals overlap; without it, overlap means "not distinguishable". */
  readonly paired?: PairedTest;
}

/** Metrics whose values are costs, not quality (their plugin names). */
const COST_PLUGINS = new Set(['cost', 'throughput']);

/**
 * Questions asked first, when the results have them (plugin name, or plugin:extractor for distances): the
 * trained domain networks' clip space, conditional accuracy, motion fidelity, then the trained frame space.
 */
const PREFERRED = ['fd:shapes-clip-v1', 'shapes-class-accuracy', 'shapes-motion', 'fd:shapes-frame-v1'];

/** A number with `digits` significant digits (exponent form from 1e5 and below 1e-3). */
export function sig(v: number, digits = 3): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3)
    return v
      .toExponential(digits - 1)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  return Number(v.toPrecision(digits)).toString();
}

/**
 * A value as "v [low, high]" (its interval at the level it reports, 95% for standard errors), the ends with as many
 * decimals as the value ("6.70 [6.31, 7.09]"; each in exponent form where the value is), or "v" without one.
 */
function withInterval(v: MetricValue, digits = 3): string {
  if (v.value === null) return 'n/a';
  const i = valueInterval(v, 0.95);
  if (!i) return sig(v.value, digits);
  // toPrecision keeps the trailing zeros that sig drops, and writes large values in exponent form (then: sig)
  const fixed = v.value.toPrecision(digits);
  if (v.value === 0 || /e/.test(sig(v.value, digits)) || /e/.test(fixed))
    return `${sig(v.value, digits)} [${sig(i.low, digits)}, ${sig(i.high, digits)}]`;
  const decimals = fixed.split('.')[1]?.length ?? 0;
  const end = (x: number) => (Math.abs(x) >= 1e5 ? sig(x, digits) : x.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1'));
  return `${fixed} [${end(i.low)}, ${end(i.high)}]`;
}

/**
 * The significant digits (3 to 5) that show `values` apart from each other and from their intervals' ends (3
 * digits print 0.97251 [0.9723, 0.9727] as 0.973 [0.972, 0.973], 0.98523 [0.98457, 0.9859] as 0.985 [0.985, 0.986]).
 */
function digitsFor(values: readonly MetricValue[]): number {
  const shown = (digits: number) => {
    const points = values.map((v) => sig(v.value!, digits));
    const distinct = values.every((v, i) => values.every((w, j) => j <= i || v.value === w.value || points[i] !== points[j]));
    return (
      distinct &&
      values.every((v) => {
        const i = valueInterval(v, 0.95);
        const apartFrom = (x: number) => x === v.value || sig(x, digits) !== sig(v.value!, digits);
        return !i || ((i.low === i.high || sig(i.low, digits) !== sig(i.high, digits)) && apartFrom(i.low) && apartFrom(i.high));
      })
    );
  };
  let digits = 3;
  while (digits < 5 && !shown(digits)) digits++;
  return digits;
}

/** Why a method has no rankable value, or null when it has one. */
function unusable(m: MethodResult, metric: string, key: string): string | null {
  const r = m.metrics[metric];
  if (!r) return 'not measured';
  if (r.error) return `not computed: ${r.error}`;
  const v = r.values.find((x) => x.key === key);
  if (!v) return 'no value';
  if (v.value === null) return `n/a${v.note ? ` (${v.note})` : ''}`;
  if (!Number.isFinite(v.value)) return `not finite (${v.value})`;
  if (v.validity && !v.validity.valid) return `invalid: ${v.validity.rule}`;
  return null;
}

/** A sweep value as people read it: a path or model reference by its last part, other values as JSON. */
function shortValue(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\/+$/, '').split(/[/:]/).pop() || value : JSON.stringify(value);
}

/** Short method names: the method's name with its sweep values (a path's last part), e.g. "pyramid [checkpoint=step1000]"; ids where those collide. */
export function methodLabels(results: Results): Map<string, string> {
  const labels = results.methods.map((m) => {
    const sweep = Object.entries(m.sweep);
    return sweep.length ? `${m.name} [${sweep.map(([k, v]) => `${k}=${shortValue(v)}`).join(', ')}]` : m.name;
  });
  const unique = new Set(labels).size === labels.length;
  return new Map(results.methods.map((m, i) => [m.id, unique ? labels[i] : m.id]));
}

interface Question {
  readonly metric: string;
  readonly key: string;
  readonly direction: 'lower' | 'higher';
  /** E.g. "fvd-random3d fd (random-conv3d-8f-v1 features)". */
  readonly name: string;
  /** E.g. "fvd-random3d fd". */
  readonly short: string;
}

function lockedEntry(results: Results, metric: string) {
  return results.locked.metrics.find((m) => (m.id ?? m.name) === metric);
}

function pluginOf(results: Results, metric: string): string {
  return lockedEntry(results, metric)?.name ?? metric;
}

function extractorOf(results: Results, metric: string): string | null {
  const options = lockedEntry(results, metric)?.options as { extractor?: unknown } | undefined;
  return typeof options?.extractor === 'string' ? options.extractor : null;
}

/** The headline quality values with a direction, preferred questions first, then in results order. */
function qualityQuestions(results: Results): Question[] {
  const out: Question[] = [];
  for (const m of results.methods) {
    for (const [metric, r] of Object.entries(m.metrics)) {
      if (COST_PLUGINS.has(pluginOf(results, metric))) continue;
      for (const v of r.values) {
        if (!v.headline || v.direction === 'none' || out.some((q) => q.metric === metric && q.key === v.key)) continue;
        const extractor = extractorOf(results, metric);
        const short = `${metric}${v.key === metric.split('/').pop() ? '' : ` ${v.key}`}`;
        out.push({ metric, key: v.key, direction: v.direction, short, name: `${short}${extractor ? ` (${extractor} features)` : ''}` });
      }
    }
  }
  const rank = (q: Question) => {
    const plugin = pluginOf(results, q.metric);
    const i = PREFERRED.findIndex((p) => p === plugin || p === `${plugin}:${extractorOf(results, q.metric)}`);
    return i < 0 ? PREFERRED.length : i;
  };
  return out
    .map((q, i) => ({ q, i }))
    .sort((a, b) => rank(a.q) - rank(b.q) || a.i - b.i)
    .map(({ q }) => q);
}

function findValue(m: MethodResult, metric: string, key: string): MetricValue | undefined {
  return m.metrics[metric]?.values.find((v) => v.key === key);
}

const better = (direction: Direction, a: number, b: number) => (direction === 'lower' ? a < b : a > b);

/** Whether two values are resolved apart: exact and different, or intervals that do not overlap; null when a side has no interval. */
function apart(a: MetricValue, b: MetricValue): boolean | null {
  if (a.uncertainty.kind === 'exact' && b.uncertainty.kind === 'exact') return a.value !== b.value;
  const ia = a.uncertainty.kind === 'exact' ? { low: a.value!, high: a.value! } : valueInterval(a, 0.95);
  const ib = b.uncertainty.kind === 'exact' ? { low: b.value!, high: b.value! } : valueInterval(b, 0.95);
  if (!ia || !ib) return null;
  return ia.high < ib.low || ib.high < ia.low;
}

/** "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Methods without a rankable value, as " Not ranked: X: why; ..." (empty when every method has one). */
function missingText(results: Results, labels: Map<string, string>, metric: string, key: string): string {
  const missing = results.methods.flatMap((m) => {
    const why = unusable(m, metric, key);
    return why === null ? [] : [`${labels.get(m.id)}: ${why}`];
  });
  return missing.length ? ` Not ranked: ${missing.join('; ')}.` : '';
}

/** The methods with a rankable value, best first (stable for ties). */
function ranked(results: Results, q: Question): { m: MethodResult; v: MetricValue }[] {
  return results.methods
    .flatMap((m) => (unusable(m, q.metric, q.key) === null ? [{ m, v: findValue(m, q.metric, q.key)! }] : []))
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (q.direction === 'lower' ? a.e.v.value! - b.e.v.value! : b.e.v.value! - a.e.v.value!) || a.i - b.i)
    .map(({ e }) => e);
}

/** The sentence on one quality value; and its best method (null when none has a value). */
function qualityFinding(
  results: Results,
  labels: Map<string, string>,
  q: Question,
  options: FindingsOptions,
): { text: string; best: MethodResult | null } {
  const title = `${q.name}, ${q.direction} is better`;
  const missing = missingText(results, labels, q.metric, q.key);
  const order = ranked(results, q);
  const label = (m: MethodResult) => labels.get(m.id)!;
  if (order.length === 0) return { text: `${title}: no method has a value to rank.${missing}`, best: null };
  const [first, second] = order;
  if (!second) return { text: `${title}: only ${label(first.m)} has a value, ${withInterval(first.v)}.${missing}`, best: first.m };
  const tied = order.filter((e) => e.v.value === first.v.value);
  if (tied.length > 1) {
    const next = order[tied.length];
    return {
      text: `${title}: ${list(tied.map((e) => label(e.m)))} tie for best at ${withInterval(first.v)}${next ? `; next is ${label(next.m)} at ${withInterval(next.v)}` : ''}.${missing}`,
      best: first.m,
    };
  }
  const digits = digitsFor([first.v, second.v]);
  const head = `${title}: ${label(first.m)} is best at ${withInterval(first.v, digits)}`;
  const runner = `${label(second.m)} at ${withInterval(second.v, digits)}`;
  const samples = `${first.m.samples} samples per method`;
  const resolved = apart(first.v, second.v);
  let relation: string;
  if (resolved === null) {
    const lacking = [first, second].filter((e) => valueInterval(e.v, 0.95) === null && e.v.uncertainty.kind !== 'exact');
    relation = `; whether it beats ${runner} cannot be judged: ${list(lacking.map((e) => `${label(e.m)}'s value has no interval (${'reason' in e.v.uncertainty ? e.v.uncertainty.reason : e.v.uncertainty.kind})`))}`;
  } else if (resolved) {
    relation = `, better than ${runner} (${first.v.uncertainty.kind === 'exact' && second.v.uncertainty.kind === 'exact' ? 'exact values' : 'the intervals do not overlap'})`;
  } else {
    const overlapping = order.slice(2).filter((e) => apart(first.v, e.v) === false).length;
    const more = overlapping ? `; ${overlapping} more method${overlapping > 1 ? 's overlap' : ' overlaps'} it too` : '';
    const test = options.paired?.({ metric: q.metric, key: q.key, best: first.m, other: second.m });
    if (test && !('reason' in test)) {
      const d = `${sig(test.difference)} [${sig(test.low)}, ${sig(test.high)}]`;
      const excludes = test.low > 0 || test.high < 0;
      relation = excludes
        ? `, better than ${runner}: the intervals overlap, but the paired difference (${label(second.m)} minus ${label(first.m)}) is ${d} over ${test.n} samples${more}`
        : `, not distinguishable from ${runner} with ${samples}: the intervals overlap and the paired difference (${label(second.m)} minus ${label(first.m)}) is ${d}${more}`;
    } else {
      relation = `, not distinguishable from ${runner} with ${samples} (the intervals overlap${test ? `; no paired test: ${test.reason}` : ''})${more}`;
    }
  }
  return { text: `${head}${relation}.${missing}`, best: first.m };
}

/** A cost value (`key` of the first metric of plugin `plugin`) as the cost sentence reads it. */
interface CostAxis {
  /** The rankable value of a method, or null. */
  usable(m: MethodResult): MetricValue | null;
  /** Why a method has no rankable value. */
  why(m: MethodResult): string;
}

function costAxis(results: Results, plugin: string, key: string): CostAxis {
  const entry = results.locked.metrics.find((m) => m.name === plugin);
  const metric = entry ? (entry.id ?? entry.name) : null;
  return {
    usable: (m) => (metric !== null && unusable(m, metric, key) === null ? findValue(m, metric, key)! : null),
    why: (m) => (metric === null ? `not measured (the suite has no ${plugin} metric)` : (unusable(m, metric, key) ?? '')),
  };
}

/**
 * The best method's value against every other method's, as "0.58x full's" (with `detail`: "... 9.77 [9.55, 10.1]");
 * the variants of a swept method grouped ("0.92x pyramid's (all 3 variants)", "1.3-2.4x pyramid's 3 variants
 * (6.83-12.2)"); methods without a value named.
 */
function against(
  best: MethodResult,
  others: readonly MethodResult[],
  axis: CostAxis,
  labels: Map<string, string>,
  detail: boolean,
): string[] {
  const mine = axis.usable(best)!;
  const names = [...new Set(others.map((m) => m.name))];
  const parts = names.flatMap((name) => {
    const group = others.filter((m) => m.name === name && axis.usable(m) !== null && axis.usable(m)!.value !== 0);
    if (group.length === 0) return [];
    const rs = group.map((m) => mine.value! / axis.usable(m)!.value!);
    if (group.length === 1) {
      const other = axis.usable(group[0])!;
      const overlap = detail && apart(mine, other) === false ? ' (intervals overlap)' : '';
      return [`${sig(rs[0])}x ${labels.get(group[0].id)}'s${detail ? ` ${withInterval(other)}${overlap}` : ''}`];
    }
    const range = (xs: number[]) => {
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      return sig(lo) === sig(hi) ? sig(lo) : `${sig(lo)}-${sig(hi)}`;
    };
    const values = group.map((m) => axis.usable(m)!.value!);
    return range(rs).includes('-')
      ? [`${range(rs)}x ${name}'s ${group.length} variants${detail ? ` (${range(values)})` : ''}`]
      : [`${range(rs)}x ${name}'s (all ${group.length} variants)`];
  });
  const lacking = others.filter((m) => axis.usable(m) === null || axis.usable(m)!.value === 0);
  if (lacking.length) parts.push(`no comparison with ${list(lacking.map((m) => `${labels.get(m.id)} (${axis.why(m) || 'zero'})`))}`);
  return parts;
}

/** The cost sentence: the best method's FLOPs per video and frames/s against every other method's. */
function costFinding(results: Results, labels: Map<string, string>, best: MethodResult, why: string): string {
  const others = results.methods.filter((m) => m !== best);
  const flops = costAxis(results, 'cost', 'flopsPerSample');
  const fps = costAxis(results, 'throughput', 'framesPerSecond');
  const f = flops.usable(best);
  const s = fps.usable(best);
  const flopsText = f
    ? `${sig(f.value!)} FLOP per video${best.costSource === 'notional' ? ' (notional)' : ''}${others.length ? `: ${against(best, others, flops, labels, false).join(', ')}` : ''}`
    : `FLOPs per video: ${flops.why(best)}`;
  const fpsText = s
    ? `${withInterval(s)} frames/s${others.length ? `: ${against(best, others, fps, labels, true).join(', ')}` : ''}`
    : `frames/s: ${fps.why(best)}`;
  return `Cost of ${labels.get(best.id)} (${why}): ${flopsText}; ${fpsText}.`;
}

/** Methods that differ only in one sweep's value, in the order of its values (numbers sorted, else as run). */
function sweepGroups(results: Results): { sweep: string; label: string; points: { value: unknown; method: MethodResult }[] }[] {
  const out: { sweep: string; label: string; points: { value: unknown; method: MethodResult }[] }[] = [];
  const sweeps = [...new Set(results.methods.flatMap((m) => Object.keys(m.sweep)))];
  for (const sweep of sweeps) {
    const groups = new Map<string, { value: unknown; method: MethodResult }[]>();
    for (const m of results.methods) {
      if (!(sweep in m.sweep)) continue;
      const others = Object.entries(m.sweep).filter(([k]) => k !== sweep);
      const label = others.length ? `${m.name} [${others.map(([k, v]) => `${k}=${shortValue(v)}`).join(', ')}]` : m.name;
      groups.set(label, [...(groups.get(label) ?? []), { value: m.sweep[sweep], method: m }]);
    }
    for (const [label, points] of groups) {
      if (points.length < 2) continue;
      const numeric = points.every((p) => typeof p.value === 'number');
      out.push({ sweep, label, points: numeric ? [...points].sort((a, b) => (a.value as number) - (b.value as number)) : points });
    }
  }
  return out;
}

/** The sentence on one quality value along one sweep. */
function sweepFinding(group: ReturnType<typeof sweepGroups>[number], q: Question, options: FindingsOptions): string {
  const steps = group.points.map((p) => shortValue(p.value));
  const head = `${q.name}, ${q.direction} is better, ${group.label} along ${group.sweep} (${steps.join(' → ')})`;
  const missing = group.points.flatMap((p) => {
    const why = unusable(p.method, q.metric, q.key);
    return why === null ? [] : [`${steps[group.points.indexOf(p)]}: ${why}`];
  });
  if (missing.length) return `${head}: cannot say whether it improves; no value at ${missing.join('; ')}.`;
  const values = group.points.map((p) => findValue(p.method, q.metric, q.key)!);
  const moves = values.slice(1).map((v, i) => {
    const from = values[i];
    const dir = v.value === from.value ? 'same' : better(q.direction, v.value!, from.value!) ? 'better' : 'worse';
    let resolved = apart(from, v);
    let paired = false;
    if (resolved === false && dir !== 'same') {
      // overlapping intervals: the paired test on the samples both checkpoints share decides, as for the best method
      const [win, lose] = dir === 'better' ? [group.points[i + 1], group.points[i]] : [group.points[i], group.points[i + 1]];
      const test = options.paired?.({ metric: q.metric, key: q.key, best: win.method, other: lose.method });
      if (test && !('reason' in test) && (test.low > 0 || test.high < 0)) {
        resolved = true;
        paired = true;
      }
    }
    return { dir, resolved, paired, step: `${steps[i]} to ${steps[i + 1]}` };
  });
  const digits = digitsFor(values);
  const series = values.map((v) => withInterval(v, digits)).join(' → ');
  const unresolved = moves.filter((m) => m.resolved !== true).map((m) => m.step);
  const caveat = unresolved.length
    ? `; ${unresolved.length === moves.length ? 'no step is' : `the step${unresolved.length > 1 ? 's' : ''} ${list(unresolved)} ${unresolved.length > 1 ? 'are' : 'is'} not`} resolved (intervals overlap${options.paired ? ' and the paired difference includes 0' : ''}, or are missing)`
    : `, every step resolved${moves.some((m) => m.paired) ? ` (${list(moves.filter((m) => m.paired).map((m) => m.step))} by the paired difference)` : ''}`;
  let verdict: string;
  if (moves.every((m) => m.dir === 'better')) verdict = `improves at every step${caveat}`;
  else if (moves.every((m) => m.dir === 'worse')) verdict = `gets worse at every step${caveat}`;
  else
    verdict = `not monotonic: ${moves.map((m) => `${m.dir === 'same' ? 'unchanged' : m.dir} from ${m.step}${m.resolved ? ' (resolved)' : m.resolved === false ? ' (intervals overlap)' : ' (no interval)'}`).join(', ')}`;
  return `${head}: ${series}; ${verdict}.`;
}

/** The sentence comparing the rankings of two distances. */
function agreementFinding(results: Results, labels: Map<string, string>, a: Question, b: Question): string {
  const both = results.methods.filter((m) => unusable(m, a.metric, a.key) === null && unusable(m, b.metric, b.key) === null);
  const names = `${a.name} and ${b.name}`;
  const left = results.methods.length - both.length;
  const leftOut = left ? ` (${left} method${left > 1 ? 's' : ''} left out: no usable value in both)` : '';
  if (both.length < 2) return `${names}: fewer than 2 methods have both values, so their rankings cannot be compared${leftOut}.`;
  // a "higher is better" value enters negated, so both rank best first
  const oriented = (q: Question) => both.map((m) => (q.direction === 'lower' ? 1 : -1) * findValue(m, q.metric, q.key)!.value!);
  const xa = oriented(a);
  const xb = oriented(b);
  const tau = kendallTau(xa, xb);
  const bestOf = (xs: number[]) => both.filter((_, i) => xs[i] === Math.min(...xs)).map((m) => labels.get(m.id)!);
  const [ba, bb] = [bestOf(xa), bestOf(xb)];
  if (Number.isNaN(tau))
    return `${names}: one of them gives all ${both.length} methods the same value, so there is no ranking to compare${leftOut}.`;
  const ties = new Set(xa).size < xa.length || new Set(xb).size < xb.length;
  const p = ties ? 'ties: no exact p-value' : `exact p = ${sig(kendallTauExactP(both.length, tau), 2)} against unrelated rankings`;
  const same = ba.length === 1 && bb.length === 1 && ba[0] === bb[0];
  const pick = same
    ? `they pick the same best method, ${ba[0]}`
    : `they pick different best methods: ${list(ba)} by the first, ${list(bb)} by the second`;
  return `${names} rank the ${both.length} methods with Kendall's tau ${sig(tau, 2)} (1: the same order, -1: reversed; ${p}); ${pick}${leftOut}.`;
}

/** The findings of a run (see the file's header). */
export function findings(results: Results, options: FindingsOptions = {}): Findings {
  const labels = methodLabels(results);
  const items: Finding[] = [];
  if (results.partial)
    items.push({
      topic: 'run',
      text: `These results are partial (shards ${results.shards.included.join(', ')} of ${results.shards.count}): every sentence below covers only those shards' samples.`,
    });
  const questions = qualityQuestions(results);
  if (questions.length === 0)
    items.push({
      topic: 'run',
      text: 'No headline quality value with a direction (a distance, an accuracy, a VBench dimension) in these results: nothing to rank.',
    });
  let anchor: { best: MethodResult; question: Question } | null = null;
  for (const q of questions) {
    const f = qualityFinding(results, labels, q, options);
    items.push({ topic: 'quality', text: f.text });
    if (!anchor && f.best) anchor = { best: f.best, question: q };
  }
  // without a quality value to pick the best method, the cost sentence is about the fastest (else the cheapest)
  const fastest = (axis: CostAxis, sign: number) =>
    results.methods.filter((m) => axis.usable(m) !== null).sort((x, y) => sign * (axis.usable(y)!.value! - axis.usable(x)!.value!))[0];
  const fps = fastest(costAxis(results, 'throughput', 'framesPerSecond'), 1);
  const cheap = fastest(costAxis(results, 'cost', 'flopsPerSample'), -1);
  if (anchor) items.push({ topic: 'cost', text: costFinding(results, labels, anchor.best, `best by ${anchor.question.short}`) });
  else if (fps) items.push({ topic: 'cost', text: costFinding(results, labels, fps, 'the most frames/s') });
  else if (cheap) items.push({ topic: 'cost', text: costFinding(results, labels, cheap, 'the fewest FLOPs') });
  for (const group of sweepGroups(results))
    for (const q of questions) items.push({ topic: 'sweep', text: sweepFinding(group, q, options) });
  const distances = questions.filter((q) => q.key === 'fd');
  for (let i = 0; i < distances.length; i++)
    for (let j = i + 1; j < distances.length; j++)
      items.push({ topic: 'agreement', text: agreementFinding(results, labels, distances[i], distances[j]) });
  return {
    items,
    criterion:
      "Intervals are 95% (bootstrap intervals as each value reports them, standard errors as ±1.96 se). 'Better than' means the two intervals do not overlap or, where they overlap, that a paired bootstrap interval of the difference over the samples both methods share (same seed and index) excludes 0; 'not distinguishable' means neither holds at this sample count. Kendall's tau compares two rankings of the same methods.",
  };
}
