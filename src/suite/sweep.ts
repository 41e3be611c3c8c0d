/**
 * Sweeps: a suite method whose model, settings or guidance contain `{$sweep: name}` placeholders expands into
 * one method per value of each sweep it uses (the cartesian product, in the order the sweeps are declared);
 * `{$arg: name}` placeholders take values given on the command line (`--arg name=value`). The expanded methods
 * are what the runner runs; all of them share the suite's samples, seeds and conditions, so they are paired.
 */
import { parseWith, SchemaError } from '../core/schema.ts';
import { canonicalJson } from '../core/hash.ts';
import { guidanceSchema, type GuidanceSpec, type Suite } from './suite-schema.ts';
import { slugOf } from './contract/results.ts';

/** One method after sweep expansion and argument substitution. */
export interface ExpandedMethod {
  /** Unique within the suite: the method's name, then the sweep values, e.g. "pyramid [steps=4]". */
  readonly id: string;
  /** A file-name form of the id ("pyramid-steps-4"). */
  readonly slug: string;
  /** The suite method's name. */
  readonly name: string;
  readonly description: string;
  /** Where the method is written in the suite, e.g. "methods[2]". */
  readonly source: string;
  /** The model reference, or null when it comes from an argument that was not given. */
  readonly model: string | null;
  /** Arguments the method needs that were not given. */
  readonly missingArgs: readonly string[];
  readonly sampler: string;
  /** Sampler settings as written, placeholders substituted (the sampler validates them). */
  readonly settings: unknown;
  /** The method's or else the suite's guidance; null when neither gives one (the model set's default applies). */
  readonly guidance: GuidanceSpec | null;
  /** The sweep values this method was made with, by sweep name. */
  readonly sweep: Readonly<Record<string, unknown>>;
}

type Placeholder = { $sweep: string } | { $arg: string };

function placeholderOf(value: unknown): Placeholder | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === '$sweep' || keys[0] === '$arg')) return value as Placeholder;
  return null;
}

function collect(value: unknown, found: { sweeps: Set<string>; args: Set<string> }): void {
  const p = placeholderOf(value);
  if (p) {
    if ('$sweep' in p) found.sweeps.add(p.$sweep);
    else found.args.add(p.$arg);
    return;
  }
  if (Array.isArray(value)) value.forEach((v) => collect(v, found));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => collect(v, found));
}

function substitute(value: unknown, sweep: Record<string, unknown>, args: Record<string, string | null>): unknown {
  const p = placeholderOf(value);
  if (p) return '$sweep' in p ? sweep[p.$sweep] : args[p.$arg];
  if (Array.isArray(value)) return value.map((v) => substitute(v, sweep, args));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, sweep, args)]));
  return value;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join('/');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonicalJson(value);
}

/**
 * Expands every method of `suite` over the sweeps it uses and substitutes `args`. Throws, naming the method
 * and what is declared, on an unknown sweep or argument, a sweep no method uses, an argument given that the
 * suite does not declare, or two methods with the same id or file name.
 */
export function expandMethods(suite: Suite, args: Readonly<Record<string, string>>, where = 'suite'): ExpandedMethod[] {
  const declaredArgs = Object.keys(suite.args);
  for (const name of Object.keys(args)) {
    if (!(name in suite.args))
      throw new SchemaError(
        `--arg ${name}: suite '${suite.name}' declares no argument '${name}'; declared: ${declaredArgs.join(', ') || '(none)'}`,
      );
  }
  const sweeps = new Map(suite.sweeps.map((s) => [s.name, s.values]));
  const used = new Set<string>();
  const out: ExpandedMethod[] = [];
  suite.methods.forEach((method, i) => {
    const source = `methods[${i}]`;
    const found = { sweeps: new Set<string>(), args: new Set<string>() };
    collect([method.model, method.settings, method.guidance], found);
    for (const s of found.sweeps) {
      if (!sweeps.has(s))
        throw new SchemaError(`${where}.${source}: unknown sweep '${s}'; declared sweeps: ${[...sweeps.keys()].join(', ') || '(none)'}`);
      used.add(s);
    }
    for (const a of found.args) {
      if (!(a in suite.args))
        throw new SchemaError(`${where}.${source}: unknown argument '${a}'; declared args: ${declaredArgs.join(', ') || '(none)'}`);
    }
    const argValues: Record<string, string | null> = Object.fromEntries(declaredArgs.map((a) => [a, args[a] ?? null]));
    const missingArgs = [...found.args].filter((a) => args[a] === undefined);
    // cartesian product over the sweeps this method uses, in declaration order
    let combos: Record<string, unknown>[] = [{}];
    for (const s of suite.sweeps.filter((s) => found.sweeps.has(s.name))) {
      combos = combos.flatMap((c) => s.values.map((v) => ({ ...c, [s.name]: v })));
    }
    for (const sweep of combos) {
      const label = Object.entries(sweep)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(', ');
      const id = label ? `${method.name} [${label}]` : method.name;
      const model = substitute(method.model, sweep, argValues);
      if (model !== null && typeof model !== 'string') {
        throw new SchemaError(
          `${where}.${source}.model: the sweep gave ${canonicalJson(model)}; allowed: a model reference string such as analytic:tiny-video`,
        );
      }
      const raw = substitute(method.guidance, sweep, argValues) ?? suite.guidance ?? null;
      const guidance = raw === null ? null : parseWith(guidanceSchema, raw, `${where}.${source}.guidance (${id})`);
      out.push({
        id,
        slug: slugOf(id),
        name: method.name,
        description: method.description,
        source,
        model,
        missingArgs,
        sampler: method.sampler,
        settings: substitute(method.settings, sweep, argValues),
        guidance,
        sweep,
      });
    }
  });
  suite.sweeps.forEach((s, i) => {
    if (!used.has(s.name))
      throw new SchemaError(
        `${where}.sweeps[${i}]: sweep '${s.name}' is used by no method; use it as {$sweep: ${s.name}} in a method's model, settings or guidance, or remove it`,
      );
  });
  const slugs = new Map<string, string>();
  for (const m of out) {
    const other = slugs.get(m.slug);
    if (other !== undefined)
      throw new SchemaError(`${where}: methods '${other}' and '${m.id}' have the same file name '${m.slug}'; rename one`);
    slugs.set(m.slug, m.id);
  }
  return out;
}
