/**
 * Published VBench scores (leaderboard rows, paper tables) as data: a row names a model, gives any of Total /
 * Quality / Semantic and of the 16 dimensions **in percent, as the leaderboard prints them**, and says where the
 * numbers come from. Rows are read from CSV (a header row: `model`, `source`, `total`, `quality`, `semantic`
 * and dimension ids or labels) or JSON (an array of such objects). A row with all 16 dimensions can be checked
 * against its printed aggregate. The shipped table holds only numbers this project can source.
 */
import { z } from 'zod';
import { parseWith } from '../core/schema.ts';
import { aggregate } from './aggregate.ts';
import { dimension, type DimensionId, DIMENSIONS } from './dimensions.ts';

/** One published row, percentages. */
export interface PublishedRow {
  readonly model: string;
  readonly source: string;
  readonly total?: number;
  readonly quality?: number;
  readonly semantic?: number;
  readonly dimensions: Partial<Record<DimensionId, number>>;
}

/**
 * Rows shipped with the harness. Pyramid Flow (Jin et al., 2024; 768p model): Total, Quality, Semantic, motion
 * smoothness and dynamic degree as quoted in `../shared/docs/pyramid-flow.md` section 7 and the issue; its
 * other dimensions are not given there and are left out rather than guessed.
 */
export const PUBLISHED_ROWS: readonly PublishedRow[] = Object.freeze([
  {
    model: 'Pyramid Flow (768p)',
    source: 'Jin et al. 2024 (Pyramidal Flow Matching), as quoted in shared/docs/pyramid-flow.md section 7',
    total: 81.72,
    quality: 84.74,
    semantic: 69.62,
    dimensions: { motion_smoothness: 99.12, dynamic_degree: 64.63 },
  },
]);

const percent = (where: string) =>
  z
    .number({ error: `${where}: expected a number (percent)` })
    .refine((x) => Number.isFinite(x) && x >= -100 && x <= 200, `${where}: expected a percentage`);

/** Turns one loose record (CSV row or JSON object) into a row; `where` names it in errors. */
export function parseRow(record: Record<string, unknown>, where: string): PublishedRow {
  const base = parseWith(z.object({ model: z.string().min(1), source: z.string().min(1) }).loose(), record, where);
  const dims: Partial<Record<DimensionId, number>> = {};
  const row: { total?: number; quality?: number; semantic?: number } = {};
  for (const [key, raw] of Object.entries(record)) {
    if (key === 'model' || key === 'source' || raw === '' || raw === null || raw === undefined) continue;
    const value = typeof raw === 'string' ? Number(raw) : raw;
    const checked = parseWith(percent(`${where}.${key}`), value, `${where}.${key}`);
    if (key === 'total' || key === 'quality' || key === 'semantic') row[key] = checked;
    else dims[dimension(key, `${where}: column`).id] = checked;
  }
  return { model: base.model, source: base.source, ...row, dimensions: dims };
}

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string, where: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new RangeError(`${where}: a quoted field is not closed`);
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  if (rows.length === 0) throw new RangeError(`${where}: no header row`);
  const [header, ...body] = rows;
  return body.map((r, n) => {
    if (r.length !== header.length) throw new RangeError(`${where} line ${n + 2}: ${r.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h.trim(), r[i].trim()]));
  });
}

/** Reads a table from CSV or JSON text (`format` from the file extension). */
export function parsePublished(text: string, format: 'csv' | 'json', where: string): PublishedRow[] {
  if (format === 'csv') return parseCsv(text, where).map((r, i) => parseRow(r, `${where} row ${i + 1}`));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RangeError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new RangeError(`${where}: expected a JSON array of rows`);
  return raw.map((r, i) => {
    if (r === null || typeof r !== 'object') throw new RangeError(`${where}[${i}]: expected an object`);
    return parseRow(r as Record<string, unknown>, `${where}[${i}]`);
  });
}

/** For a row with all 16 dimensions: the aggregate recomputed from them, percent; null otherwise. */
export function recomputed(row: PublishedRow): { quality: number; semantic: number; total: number } | null {
  if (!DIMENSIONS.every((d) => row.dimensions[d.id] !== undefined)) return null;
  const fractions = Object.fromEntries(Object.entries(row.dimensions).map(([k, v]) => [k, (v as number) / 100]));
  const a = aggregate(fractions);
  return { quality: 100 * a.quality, semantic: 100 * a.semantic, total: 100 * a.total };
}
