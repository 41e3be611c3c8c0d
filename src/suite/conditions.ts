/**
 * The samples of a suite: sample index i gets the same condition in every method (and the samplers draw its
 * initial noise from (seed, i)), so methods are paired sample by sample. Conditions are unconditional, one
 * class, class-balanced (class i mod classes) or prompts (prompt floor(i / k), repeat i mod k, for k samples per
 * prompt, as VBench's `{prompt}-{index}` protocol).
 */
import { sha256Hex } from '../core/hash.ts';
import { SchemaError } from '../core/schema.ts';
import type { Condition, ModelSet } from '../models/contract/velocity-model.ts';
import type { ConditionsSpec } from './suite-schema.ts';
import type { SuiteItem } from './contract/records.ts';
import { modelSetSpec } from '../models/contract/velocity-model.ts';

/**
 * The items of one method: `count` samples with the suite's conditions, checked against what the model set can
 * be conditioned on. Prompts are encoded by the set's `encodePrompt` (once per prompt).
 */
export async function suiteItems(
  spec: ConditionsSpec,
  count: number,
  prompts: readonly string[],
  models: ModelSet,
  where: string,
): Promise<SuiteItem[]> {
  const conditioning = modelSetSpec(models).conditioning;
  const plain = (index: number, condition: Condition, conditionKey: string, label: number | null): SuiteItem => ({
    index,
    condition,
    conditionKey,
    label,
    prompt: null,
    repeat: null,
  });
  switch (spec.kind) {
    case 'unconditional':
      return Array.from({ length: count }, (_, i) => plain(i, { kind: 'unconditional' }, 'unconditional', null));
    case 'class':
    case 'class-balanced': {
      if (conditioning.kind !== 'class') {
        throw new SchemaError(
          `${where}: conditions.kind '${spec.kind}' needs a class-conditional model; ${models.id} is conditioned on '${conditioning.kind}'`,
        );
      }
      if (spec.kind === 'class' && spec.label >= conditioning.classes) {
        throw new SchemaError(`${where}: conditions.label is ${spec.label}; ${models.id} has classes 0 to ${conditioning.classes - 1}`);
      }
      return Array.from({ length: count }, (_, i) => {
        const label = spec.kind === 'class' ? spec.label : i % conditioning.classes;
        return plain(i, { kind: 'class', label }, `class:${label}`, label);
      });
    }
    case 'prompts': {
      const conditioner = models.conditioner;
      if (conditioning.kind !== 'text' || !conditioner) {
        const why =
          conditioning.kind !== 'text'
            ? `it is conditioned on '${conditioning.kind}'`
            : 'its package has no condition encoder or embedding table';
        throw new SchemaError(
          `${where}: conditions.kind 'prompts' needs a text-conditioned model with a prompt encoder; ${models.id} cannot be used: ${why}`,
        );
      }
      const k = spec.samplesPerPrompt;
      if (count !== prompts.length * k) throw new RangeError(`${where}: ${count} samples for ${prompts.length} prompts x ${k}`);
      const encoded = new Map<string, { condition: Extract<Condition, { kind: 'text' }>; key: string }>();
      const items: SuiteItem[] = [];
      for (let i = 0; i < count; i++) {
        const prompt = prompts[Math.floor(i / k)];
        let e = encoded.get(prompt);
        if (!e) {
          const condition = await conditioner.encode(prompt);
          if (condition.kind !== 'text')
            throw new RangeError(
              `${where}: ${models.id}'s conditioner gave a '${condition.kind}' condition for prompt '${prompt}'; a text condition is needed`,
            );
          const bytes = new Uint8Array(condition.embedding.buffer, condition.embedding.byteOffset, condition.embedding.byteLength);
          e = { condition, key: `text:${prompt}#${sha256Hex(bytes).slice(0, 16)}` };
          encoded.set(prompt, e);
        }
        items.push({ index: i, condition: e.condition, conditionKey: e.key, label: null, prompt, repeat: i % k });
      }
      return items;
    }
  }
}
