import * as assert from 'uvu/assert';

/** Asserts that `action` rejects (or throws) with a message matching `pattern`. */
export async function rejects(action: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  let settled = false;
  try {
    await action();
    settled = true;
  } catch (error) {
    assert.match((error as Error).message, pattern);
    return;
  }
  if (settled) assert.unreachable(`expected a rejection matching ${pattern}`);
}
