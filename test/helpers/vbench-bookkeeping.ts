/** NumPy / Python golden values for VBench's frame bookkeeping, made by scripts/reference/vbench_bookkeeping.py. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const bookkeeping = JSON.parse(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'vbench-bookkeeping.json'), 'utf8'),
);
