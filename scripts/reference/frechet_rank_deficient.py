#!/usr/bin/env python3
"""Reference vectors for N < d (rank-deficient covariances), from NumPy/SciPy.

usage: frechet_rank_deficient.py [OUT.npz]   (default test/fixtures/frechet-rank-deficient.npz)

compat_a, compat_b: feature sets (float64, 20 rows of d = 64); compat_fd: pytorch-fid's calculate_frechet_distance
on their np.cov statistics (scipy.linalg.sqrtm of sigma_a @ sigma_b, finite here, so no eps offset; real part).
eig_a: 40 feature rows of d = 256; eig_values: np.linalg.eigvalsh of np.cov(eig_a) (ascending; 216 are zero up to
rounding).
"""
import os
import sys

import numpy as np
from scipy import linalg

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_fid_formula import frechet_distance  # noqa: E402

rng = np.random.default_rng(6420)
arrays = {}
d = 64
mix = rng.normal(size=(d, d)) / np.sqrt(d)
a = np.abs(rng.normal(size=(20, d)) @ mix)
b = np.abs(rng.normal(size=(20, d)) @ (mix + 0.2 * rng.normal(size=(d, d)) / np.sqrt(d))) + 0.05
s_a = np.cov(a, rowvar=False)
s_b = np.cov(b, rowvar=False)
assert np.isfinite(linalg.sqrtm(s_a.dot(s_b))).all(), "sqrtm is finite for this singular product: no offset"
arrays["compat_a"] = a
arrays["compat_b"] = b
arrays["compat_fd"] = np.array(frechet_distance(a.mean(0), s_a, b.mean(0), s_b))
d = 256
mix = rng.normal(size=(d, d)) / np.sqrt(d)
e = np.abs(rng.normal(size=(40, d)) @ mix)
arrays["eig_a"] = e
arrays["eig_values"] = np.linalg.eigvalsh(np.cov(e, rowvar=False))
np.savez(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/frechet-rank-deficient.npz", **arrays)
