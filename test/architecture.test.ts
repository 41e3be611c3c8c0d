/**
 * The layout's rules (docs/architecture.md), checked on the import graph of src/: no cycle between files or
 * between folders (type imports included), contracts import only contracts and leaf folders, onnxruntime-node
 * only under the ONNX backend, chart.js only in the report, and nothing in src/ reaches the dev benchmarks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier of a file: static imports and re-exports (type-only ones too) and dynamic imports. */
export function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

interface Graph {
  readonly files: string[];
  /** Relative imports, resolved to files under src/. */
  readonly edges: Map<string, Set<string>>;
  /** Package imports by file. */
  readonly packages: Map<string, Set<string>>;
}

function importGraph(): Graph {
  const files = tsFiles(src).map((f) => path.relative(root, f));
  const edges = new Map<string, Set<string>>();
  const packages = new Map<string, Set<string>>();
  for (const f of files) {
    edges.set(f, new Set());
    packages.set(f, new Set());
    for (const spec of specifiers(readFileSync(path.join(root, f), 'utf8'))) {
      if (spec.startsWith('.')) edges.get(f)!.add(path.normalize(path.join(path.dirname(f), spec)));
      else packages.get(f)!.add(spec);
    }
  }
  return { files, edges, packages };
}

/** Strongly connected components with more than one node, or with a self-loop (Tarjan). */
export function cycles(nodes: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (n: string): void => {
    index.set(n, counter);
    low.set(n, counter++);
    stack.push(n);
    onStack.add(n);
    for (const w of edges.get(n) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(n, Math.min(low.get(n)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(n, Math.min(low.get(n)!, index.get(w)!));
    }
    if (low.get(n) === index.get(n)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== n);
      if (component.length > 1 || edges.get(n)?.has(n)) out.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out;
}

const graph = importGraph();

/** Edges between the folders that hold the files (a folder is the files directly in it). */
function folderEdges(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [a, targets] of graph.edges) {
    for (const b of targets) {
      const [fa, fb] = [path.dirname(a), path.dirname(b)];
      if (fa === fb) continue;
      if (!out.has(fa)) out.set(fa, new Set());
      out.get(fa)!.add(fb);
    }
  }
  return out;
}

test('the cycle finder finds a cycle, and a self-loop, and passes a chain', () => {
  const e = (pairs: [string, string][]) => new Map(pairs.map(([a, b]) => [a, new Set([b])]));
  assert.equal(
    cycles(
      ['a', 'b', 'c'],
      e([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
      ]),
    ),
    [['a', 'b', 'c']],
  );
  assert.equal(cycles(['a'], e([['a', 'a']])), [['a']]);
  assert.equal(
    cycles(
      ['a', 'b', 'c'],
      e([
        ['a', 'b'],
        ['b', 'c'],
      ]),
    ),
    [],
  );
  assert.equal(specifiers("import type { A } from './a.ts';\nexport { b } from '../b.ts';\nconst c = await import('./c.ts');"), [
    './a.ts',
    '../b.ts',
    './c.ts',
  ]);
});

test('every relative import resolves to a file of src/', () => {
  const missing = [...graph.edges].flatMap(([f, ts]) => [...ts].filter((t) => !graph.files.includes(t)).map((t) => `${f} -> ${t}`));
  assert.equal(missing, []);
});

test('no import cycle between files of src/, type imports included', () => {
  assert.equal(cycles(graph.files, graph.edges), []);
});

test('no import cycle between folders of src/', () => {
  const edges = folderEdges();
  assert.equal(cycles([...edges.keys()], edges), []);
});

test('contracts import only contracts and the leaf folders', () => {
  const allowed = (target: string) => /^src\/(core|io)\//.test(target) || /\/contract\//.test(target);
  const bad = [...graph.edges]
    .filter(([f]) => f.includes('/contract/'))
    .flatMap(([f, ts]) => [...ts].filter((t) => !allowed(t)).map((t) => `${f} -> ${t}`));
  assert.equal(bad, []);
  const leaves = [...graph.edges]
    .filter(([f]) => /^src\/(core|io)\//.test(f))
    .flatMap(([f, ts]) => [...ts].filter((t) => !/^src\/(core|io)\//.test(t)).map((t) => `${f} -> ${t}`));
  assert.equal(leaves, []);
});

test('onnxruntime-node only under the ONNX backend, chart.js only in the report, no dev benchmark in src/', () => {
  const users = (pkg: RegExp) => [...graph.packages].filter(([, ps]) => [...ps].some((p) => pkg.test(p))).map(([f]) => f);
  assert.ok(users(/^onnxruntime-node$/).length > 0, 'the ONNX backend imports onnxruntime-node');
  assert.equal(
    users(/^onnxruntime-node$/).filter((f) => !f.startsWith('src/models/onnx/')),
    [],
  );
  assert.equal(
    users(/^(chart\.js|chartjs-node-canvas)/).filter((f) => !f.startsWith('src/report/')),
    [],
  );
  const toTools = [...graph.edges].flatMap(([f, ts]) => [...ts].filter((t) => !t.startsWith('src/')).map((t) => `${f} -> ${t}`));
  assert.equal(toTools, []);
});

test.run();
