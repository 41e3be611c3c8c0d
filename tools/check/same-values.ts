/**
 * `npx tsx tools/check/same-values.ts <runA> <runB>`: whether two results folders hold the same deterministic
 * values (every value not marked `measured`, with its uncertainty) to the bit, and the same sample store keys per
 * method. For checking that a change left a suite's numbers alone (e.g. the default suite before and after a
 * refactor) when `compare` refuses the pair because a locked setting or a metric version moved. Exit 0 when all
 * agree, 1 otherwise, printing each difference.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../src/core/hash.ts';
import { deterministicValues, readResults } from '../../src/suite/contract/results.ts';

function sampleKeys(dir: string): Map<string, string[]> {
  const folder = path.join(dir, 'samples');
  const out = new Map<string, string[]>();
  if (!existsSync(folder)) return out;
  for (const name of readdirSync(folder)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    const rows = readFileSync(path.join(folder, name), 'utf8').split('\n').filter(Boolean);
    out.set(
      name,
      rows.map((line) => (JSON.parse(line) as { key: string }).key),
    );
  }
  return out;
}

function main(argv: string[]): number {
  if (argv.length !== 2) {
    process.stderr.write('usage: npx tsx tools/check/same-values.ts <runA> <runB>\n');
    return 2;
  }
  const [a, b] = argv.map((dir) => ({ dir, values: deterministicValues(readResults(dir)), keys: sampleKeys(dir) }));
  const differences: string[] = [];
  let same = 0;
  for (const [method, values] of Object.entries(a.values)) {
    for (const [key, v] of Object.entries(values)) {
      const w = b.values[method]?.[key];
      if (!w) differences.push(`${method} ${key}: missing in ${b.dir}`);
      else if (v.value !== w.value || canonicalJson(v.uncertainty) !== canonicalJson(w.uncertainty)) {
        differences.push(`${method} ${key}: ${v.value} ${canonicalJson(v.uncertainty)} vs ${w.value} ${canonicalJson(w.uncertainty)}`);
      } else same++;
    }
  }
  for (const [method, values] of Object.entries(b.values)) {
    for (const key of Object.keys(values)) if (!a.values[method]?.[key]) differences.push(`${method} ${key}: missing in ${a.dir}`);
  }
  let keysSame = 0;
  for (const [file, keys] of a.keys) {
    if (canonicalJson(keys) === canonicalJson(b.keys.get(file) ?? null)) keysSame++;
    else differences.push(`samples/${file}: the store keys differ`);
  }
  for (const line of differences) process.stdout.write(`${line}\n`);
  process.stdout.write(
    `${same} deterministic values identical to the bit (value and uncertainty), ${differences.length} differences; store keys identical for ${keysSame} of ${a.keys.size} methods\n`,
  );
  return differences.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
