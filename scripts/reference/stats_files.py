#!/usr/bin/env python3
"""Statistics files as other tools write them, and a checker for the files we write (test/metrics/stats-file.test.ts).

usage: stats_files.py write DIR   -- writes, from seeded features X (40 x 6, float32, as network features are):
  pytorch-fid.npz   np.savez_compressed(mu=X.mean(0) as float64, sigma=np.cov(X as float64))  (fid_score.py)
  clean-fid.npz     np.savez_compressed(mu=np.mean(X) (float32), sigma=np.cov(X))              (clean-fid)
  clean-fid-kid.npz np.savez_compressed(feats=X)                                               (clean-fid KID)
  adm.npz           np.savez(arr_0=uint8 [5, 8, 8, 3], mu, sigma, mu_s, sigma_s)                (guided-diffusion)
  bad-*.npz         files that must be refused: no sigma, int sigma, wrong shape, non-symmetric, NaN
  expected.npz      mu, sigma (float64) of X, for comparison
usage: stats_files.py check FILE FORMAT  -- loads a file we wrote with NumPy and prints a JSON summary
"""
import json
import sys

import numpy as np


def write(out):
    rng = np.random.default_rng(6)
    x = (rng.normal(size=(40, 6)) @ rng.normal(size=(6, 6))).astype(np.float32)
    mu, sigma = x.astype(np.float64).mean(0), np.cov(x.astype(np.float64), rowvar=False)
    np.savez_compressed(f"{out}/pytorch-fid.npz", mu=mu, sigma=sigma)
    np.savez_compressed(f"{out}/clean-fid.npz", mu=np.mean(x, axis=0), sigma=np.cov(x, rowvar=False))
    np.savez_compressed(f"{out}/clean-fid-kid.npz", feats=x)
    images = rng.integers(0, 256, size=(5, 8, 8, 3), dtype=np.uint8)
    np.savez(f"{out}/adm.npz", arr_0=images, mu=mu, sigma=sigma, mu_s=mu[:3], sigma_s=sigma[:3, :3])
    np.savez(f"{out}/expected.npz", mu=mu, sigma=sigma, clean_mu=np.mean(x, axis=0).astype(np.float64), clean_sigma=np.cov(x, rowvar=False))
    np.savez(f"{out}/bad-keys.npz", mu=mu, covariance=sigma)
    np.savez(f"{out}/bad-dtype.npz", mu=mu, sigma=sigma.astype(np.int64))
    np.savez(f"{out}/bad-shape.npz", mu=mu, sigma=sigma[:5, :5])
    skew = sigma.copy()
    skew[0, 1] += 0.5
    np.savez(f"{out}/bad-symmetry.npz", mu=mu, sigma=skew)
    nan = mu.copy()
    nan[2] = np.nan
    np.savez(f"{out}/bad-nan.npz", mu=nan, sigma=sigma)
    np.savez(f"{out}/bad-adm.npz", arr_0=images.astype(np.float32), mu=mu, sigma=sigma)


def check(path, fmt):
    d = np.load(path)
    summary = {"keys": sorted(d.files), "dtypes": {k: str(d[k].dtype) for k in d.files}, "shapes": {k: list(d[k].shape) for k in d.files}}
    if "mu" in d.files:
        summary["mu"] = d["mu"].astype(float).tolist()
        summary["sigma_symmetric"] = bool(np.array_equal(d["sigma"], d["sigma"].T))
    if fmt == "pyramid-bench":
        summary["count"] = int(d["count"])
        summary["meta"] = json.loads(bytes(d["meta"]))
    if fmt == "clean-fid-kid":
        summary["feats_mean"] = d["feats"].astype(float).mean(0).tolist()
    print(json.dumps(summary))


if sys.argv[1] == "write":
    write(sys.argv[2])
else:
    check(sys.argv[2], sys.argv[3])
