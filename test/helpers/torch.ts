/**
 * Whether the PyTorch tests can run. `./setup.sh` installs Debian's python3-torch, so wherever the project was set up
 * they run; where torch is missing they fail, saying so, unless PYRAMID_BENCH_SKIP_TORCH=1 asks to skip them.
 */
import { spawnSync } from 'node:child_process';
import { defaultPython } from '../../src/models/torch/package.ts';

export const hasTorch = spawnSync(defaultPython(), ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

/** Called by a test that needs torch when it is missing: throws, unless PYRAMID_BENCH_SKIP_TORCH=1 (then it says it skips). */
export function torchMissing(): void {
  const why = `${defaultPython()} cannot import torch and numpy`;
  if (process.env.PYRAMID_BENCH_SKIP_TORCH === '1') {
    console.log(`  skipped (PYRAMID_BENCH_SKIP_TORCH=1): ${why}`);
    return;
  }
  throw new Error(`${why}: install Debian's python3-torch (./setup.sh does), or set PYRAMID_BENCH_SKIP_TORCH=1 to skip the PyTorch tests`);
}
