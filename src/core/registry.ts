/**
 * One generic name -> value registry for samplers, metrics, extractors, backends and presets, in the manner
 * of lm-evaluation-harness `api/registry.py`: duplicates are rejected and a miss lists what is available.
 */
export class Registry<T> {
  private readonly entries = new Map<string, { value: T; description: string }>();

  /** @param kind what the registry holds, singular, used in messages ("sampler", "metric"). */
  constructor(readonly kind: string) {}

  /** Adds `value` under `name`; throws when the name is taken. */
  register(name: string, value: T, description = ''): void {
    if (!/^[a-z0-9][a-z0-9._:/-]*$/i.test(name)) {
      throw new RangeError(`${this.kind} name '${name}' is not allowed: use letters, digits and . _ : / -`);
    }
    if (this.entries.has(name)) {
      throw new RangeError(`${this.kind} '${name}' is already registered`);
    }
    this.entries.set(name, { value, description });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The value under `name`; throws "Unknown <kind> 'x'. Available: a, b, c" on a miss. */
  get(name: string): T {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw new RangeError(`Unknown ${this.kind} '${name}'. Available: ${this.names().join(', ') || '(none)'}`);
    }
    return entry.value;
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** Name and description of every entry, sorted by name. */
  list(): { name: string; description: string }[] {
    return this.names().map((name) => ({ name, description: this.entries.get(name)!.description }));
  }
}
