/**
 * The regression gate of `compare --fail-if`: conditions on how much a value changed from the baseline run, for
 * CI. A condition reads `<value> <op> <threshold>[%] [if significant] [for <method>]`:
 *  - `<value>`: a value key (`fd`, `latencyMs.p50`, `subject_consistency`) or `<metric>.<key>` (`fd-pixel.fd`);
 *  - `<op>`: `>`, `>=`, `<`, `<=`;
 *  - `<threshold>`: a change b - a in the value's unit (`+0.5`, `-3`), or with `%` a relative change
 *    100 (b - a) / |a| (`+2%`);
 *  - `if significant`: only when the comparison's interval also excludes 0;
 *  - `for <method>`: only that method (its id or name); otherwise every method with the value.
 * E.g. `fd > +2%` fails when any method's FD rose by more than 2%; `framesPerSecond < -10% for pyramid`.
 */
import type { Comparison } from './compare.ts';
import { formatNumber } from './summary.ts';
import type { ValueDifference } from './paired-compare.ts';

/** A parsed condition. */
export interface GateCondition {
  /** The text as given. */
  readonly text: string;
  readonly value: string;
  readonly op: '>' | '>=' | '<' | '<=';
  readonly threshold: number;
  readonly relative: boolean;
  readonly significantOnly: boolean;
  readonly method: string | null;
}

const CONDITION = /^\s*([^\s<>=]+)\s*(>=|<=|>|<)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(%?)\s*(.*?)\s*$/i;

/** Parses `--fail-if` text; throws naming the text and the allowed form. */
export function parseGate(text: string): GateCondition {
  const form = `allowed: '<value> <op> <threshold>[%] [if significant] [for <method>]', e.g. 'fd > +2%' or 'latencyMs.p50 > +5 for pyramid'`;
  const m = CONDITION.exec(text);
  if (!m) throw new RangeError(`--fail-if '${text}' is not a condition; ${form}`);
  let rest = m[5];
  const significantOnly = /(^|\s)if significant(\s|$)/.test(rest);
  rest = rest.replace(/(^|\s)if significant(\s|$)/, ' ').trim();
  let method: string | null = null;
  if (rest.startsWith('for ')) {
    method = rest.slice(4).trim();
    rest = '';
  }
  if (rest.length > 0 || method === '') throw new RangeError(`--fail-if '${text}': cannot read '${rest || 'for'}'; ${form}`);
  return { text, value: m[1], op: m[2] as GateCondition['op'], threshold: Number(m[3]), relative: m[4] === '%', significantOnly, method };
}

const holds = (x: number, op: GateCondition['op'], t: number) => (op === '>' ? x > t : op === '>=' ? x >= t : op === '<' ? x < t : x <= t);

function matches(c: GateCondition, d: ValueDifference, methodNames: ReadonlyMap<string, string>): boolean {
  if (c.value !== d.key && c.value !== `${d.metric}.${d.key}`) return false;
  return c.method === null || c.method === d.method || c.method === methodNames.get(d.method);
}

/**
 * The failures of each condition on each run against the baseline: one message per failing (run, method,
 * value), naming the condition, the value, both numbers and the change. A condition that matches no value at all
 * is an error (a typo must not pass CI silently), and so is one whose value is missing in a run.
 */
export function evaluateGate(
  conditions: readonly GateCondition[],
  comparison: Comparison,
  methodNames: ReadonlyMap<string, string> = new Map(),
): string[] {
  const failures: string[] = [];
  for (const c of conditions) {
    let matched = 0;
    for (const p of comparison.comparisons) {
      for (const d of p.values.filter((x) => matches(c, x, methodNames))) {
        matched++;
        const where = `${d.metric}.${d.key} of '${d.method}'`;
        if (d.a === null || d.b === null) {
          failures.push(`--fail-if '${c.text}': ${where} cannot be checked: it has no value in ${d.a === null ? p.a : p.b}`);
          continue;
        }
        const change = c.relative ? (d.b === d.a ? 0 : ((d.b - d.a) / Math.abs(d.a)) * 100) : d.b - d.a;
        if (!holds(change, c.op, c.threshold)) continue;
        if (c.significantOnly && d.significant !== true) continue;
        const shown = c.relative
          ? `${change >= 0 ? '+' : ''}${formatNumber(change)}%`
          : `${change >= 0 ? '+' : ''}${formatNumber(change)} ${d.unit}`;
        const threshold = `${c.threshold >= 0 ? '+' : ''}${c.threshold}${c.relative ? '%' : ` ${d.unit}`}`;
        const interval = d.interval
          ? `; ${Math.round(d.interval.level * 100)}% interval of the change [${formatNumber(d.interval.low)}, ${formatNumber(d.interval.high)}]`
          : '';
        failures.push(
          `--fail-if '${c.text}': ${where} went from ${formatNumber(d.a)} (${p.a}) to ${formatNumber(d.b)} (${p.b}), a change of ${shown} ${c.op} ${threshold}${interval}`,
        );
      }
    }
    if (matched === 0) {
      const available = [...new Set(comparison.comparisons.flatMap((p) => p.values.map((d) => `${d.metric}.${d.key}`)))];
      const methods = [...new Set(comparison.comparisons.flatMap((p) => p.values.map((d) => d.method)))];
      throw new RangeError(
        `--fail-if '${c.text}': no value '${c.value}'${c.method ? ` for method '${c.method}'` : ''} in the comparison; values: ${available.join(', ')}; methods: ${methods.join(', ')}`,
      );
    }
  }
  return failures;
}
