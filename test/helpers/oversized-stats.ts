/**
 * Statistics files whose sizes this machine cannot hold, each in the format of a tool people use: the .npy headers
 * declare the sizes, the data is all zeros (compressed to a few kB) or left out (a header alone), so each file is
 * small on disk. A reader must refuse each from its headers, naming the file and the key, before it allocates.
 * Written by NumPy (`python3`), as the files people bring are.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** One oversized file: its name, the key that must be named, and how it is made. */
export interface OversizedCase {
  readonly file: string;
  readonly key: string;
  readonly what: string;
}

/** The cases, in the order `writeOversizedStats` writes them. */
export const OVERSIZED_STATS: readonly OversizedCase[] = [
  { file: 'pf-sigma.npz', key: 'sigma', what: 'pytorch-fid: mu of 100000 features, so a 100000x100000 covariance' },
  { file: 'pf-mu.npz', key: 'mu', what: 'pytorch-fid: a mean whose header says 1e9 features' },
  { file: 'kid-feats.npz', key: 'feats', what: 'clean-fid KID: 3 feature vectors of 1e6 dimensions (a 1e6 x 1e6 covariance)' },
  { file: 'kid-rows.npz', key: 'feats', what: 'clean-fid KID: a header of 1e9 x 2048 float32 features' },
  { file: 'adm-spatial.npz', key: 'sigma_s', what: 'guided-diffusion: spatial mean of 200000 features' },
  { file: 'ours-state.npz', key: 'state_node_sum', what: 'pyramid-bench: a streaming state of 1e8 nodes' },
];

const PYTHON = `
import io, json, sys, zipfile
import numpy as np
out = sys.argv[1]

def header_only(z, key, dtype, shape):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {'descr': np.dtype(dtype).str, 'fortran_order': False, 'shape': shape})
    z.writestr(key + '.npy', buf.getvalue())

def full(z, key, array):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array)
    z.writestr(key + '.npy', buf.getvalue())

def archive(name):
    return zipfile.ZipFile(f'{out}/{name}', 'w', zipfile.ZIP_DEFLATED)

with archive('pf-sigma.npz') as z:
    full(z, 'mu', np.zeros(100000))
    header_only(z, 'sigma', '<f8', (100000, 100000))
with archive('pf-mu.npz') as z:
    header_only(z, 'mu', '<f8', (10**9,))
    header_only(z, 'sigma', '<f8', (10**9, 10**9))
with archive('kid-feats.npz') as z:
    full(z, 'feats', np.zeros((3, 10**6), np.float32))
with archive('kid-rows.npz') as z:
    header_only(z, 'feats', '<f4', (10**9, 2048))
with archive('adm-spatial.npz') as z:
    full(z, 'arr_0', np.zeros((2, 4, 4, 3), np.uint8))
    full(z, 'mu', np.zeros(4))
    full(z, 'sigma', np.eye(4))
    full(z, 'mu_s', np.zeros(200000))
    header_only(z, 'sigma_s', '<f8', (200000, 200000))
with archive('ours-state.npz') as z:
    full(z, 'mu', np.zeros(4))
    full(z, 'sigma', np.eye(4))
    full(z, 'count', np.array(256, np.int64))
    meta = json.dumps({'format': 'pyramid-bench-stats', 'version': 1, 'extractor': None}).encode()
    full(z, 'meta', np.frombuffer(meta, np.uint8))
    full(z, 'state_start', np.array(0, np.int64))
    full(z, 'state_block_rows', np.array(128, np.int64))
    full(z, 'state_head', np.zeros((0, 4)))
    full(z, 'state_tail', np.zeros((0, 4)))
    header_only(z, 'state_node_level', '<i8', (10**8,))
    header_only(z, 'state_node_index', '<i8', (10**8,))
    header_only(z, 'state_node_sum', '<f8', (10**8, 4))
    header_only(z, 'state_node_outer', '<f8', (10**8, 10))
`;

/** Writes every case of `OVERSIZED_STATS` into `dir` (NumPy). */
export function writeOversizedStats(dir: string): string[] {
  execFileSync('python3', ['-c', PYTHON, dir]);
  return OVERSIZED_STATS.map((c) => path.join(dir, c.file));
}
