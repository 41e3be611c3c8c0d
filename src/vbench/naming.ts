/**
 * VBench's video file naming: `{prompt}-{index}{ext}` with index 0-4 per prompt (`vbench/__init__.py:144-162`),
 * and `get_prompt_from_filename` (`vbench/utils.py:375-384`): the file stem with a trailing `-<digits>` removed.
 */
import path from 'node:path';

/** Prompt and index read from a file name; index is null when the stem has no `-<digits>` ending. */
export interface VbenchName {
  readonly prompt: string;
  readonly index: number | null;
}

/** Splits `A cat sitting-3.mp4` into { prompt: 'A cat sitting', index: 3 }; `clip.mp4` gives index null. */
export function parseVbenchName(file: string): VbenchName {
  const stem = path.parse(file).name;
  const m = /^(.*)-(\d+)$/s.exec(stem);
  return m ? { prompt: m[1], index: Number(m[2]) } : { prompt: stem, index: null };
}

/** `{prompt}-{index}{ext}`; refuses prompts that cannot be a file name on POSIX or Windows. */
export function vbenchFileName(prompt: string, index: number, ext = '.mp4'): string {
  if (prompt.length === 0) throw new RangeError('vbenchFileName: the prompt is empty');
  if (/[/\\\0]/.test(prompt))
    throw new RangeError(`vbenchFileName: prompt '${prompt}' contains '/', '\\' or NUL, which a file name cannot hold`);
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`vbenchFileName: index ${index} must be an integer >= 0`);
  if (!/^\.[a-z0-9]+$/i.test(ext)) throw new RangeError(`vbenchFileName: extension '${ext}' must look like '.mp4'`);
  const name = `${prompt}-${index}${ext}`;
  if (Buffer.byteLength(name) > 255)
    throw new RangeError(`vbenchFileName: '${name.slice(0, 40)}...' is ${Buffer.byteLength(name)} bytes; file names hold at most 255`);
  return name;
}

/** Per-prompt running indices for a list of prompts: [a, b, a] -> [0, 0, 1]. */
export function perPromptIndices(prompts: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return prompts.map((p) => {
    const i = seen.get(p) ?? 0;
    seen.set(p, i + 1);
    return i;
  });
}
