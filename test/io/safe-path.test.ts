/**
 * Paths from data stay inside their folder: plain names refuse separators, '..' and NUL; joined paths refuse
 * absolute parts, '..' segments and symbolic links that lead out of the folder.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insideFolder, safeName } from '../../src/io/safe-path.ts';
import { badInput } from '../helpers/case-ledger.ts';

const root = mkdtempSync(path.join(tmpdir(), 'safe-path-'));

test('safeName passes plain names and refuses separators, dot names, NUL, control characters and non-strings', async () => {
  for (const ok of ['pyramid-steps-2', 'a.b', '...', 'x y']) assert.is(safeName(ok, 'slug'), ok);
  for (const bad of ['', '.', '..', '../../evil', 'a/b', 'a\\b', 'a\0b', 'a\nb', '/etc', null, 3]) {
    await badInput('paths', `safeName ${JSON.stringify(bad)}`, () =>
      assert.throws(
        () => safeName(bad, 'slug of method 0 in r/results.json'),
        (e: Error) => /^slug of method 0 in r\/results\.json is .*; allowed: /.test(e.message) && !e.message.includes('\n'),
      ),
    );
  }
});

test('insideFolder joins relative parts and refuses absolute parts, .. segments, NUL and links out of the folder', async () => {
  assert.is(insideFolder(root, ['state', 'p', 'cost.samples.npz'], 'x'), path.join(root, 'state', 'p', 'cost.samples.npz'));
  assert.is(insideFolder(root, ['videos/0-p.gif'], 'x'), path.join(root, 'videos', '0-p.gif'));
  for (const parts of [['/etc/passwd'], ['state', '../../evil'], ['videos/0-../../../evil.gif'], ['a\0b'], ['.'], ['C:\\x']])
    await badInput('paths', `insideFolder ${JSON.stringify(parts)}`, () =>
      assert.throws(() => insideFolder(root, parts, 'report file'), /^report file: .*allowed: /),
    );
  mkdirSync(path.join(root, 'videos'), { recursive: true });
  symlinkSync(tmpdir(), path.join(root, 'videos', 'out'));
  await badInput('paths', 'insideFolder through a link out of the folder', () =>
    assert.throws(
      () => insideFolder(root, ['videos', 'out', 'x.gif'], 'videos of method'),
      /resolves to .*, outside .*; allowed: a path inside/,
    ),
  );
  // a folder reached through a link is compared by its real path
  const viaLink = path.join(mkdtempSync(path.join(tmpdir(), 'safe-path-link-')), 'run');
  symlinkSync(root, viaLink);
  assert.is(insideFolder(viaLink, ['samples', 'p.jsonl'], 'x'), path.join(viaLink, 'samples', 'p.jsonl'));
});

test.run();
