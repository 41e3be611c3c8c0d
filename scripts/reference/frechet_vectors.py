#!/usr/bin/env python3
"""Reference vectors for test/metrics/frechet.test.ts, from NumPy/SciPy.

Writes test/fixtures/frechet-small.npz: feature sets f{case}_a, f{case}_b (float64, rows = samples) and the
expected distance fd{case} computed as pytorch-fid's calculate_frechet_distance does (np.cov with N - 1,
scipy.linalg.sqrtm of sigma1 @ sigma2, the eps retry when the root is not finite, real part), plus the mean and
covariance of f0_a. Case 3 has fewer samples than dimensions (singular covariances).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_fid_formula import frechet_distance  # noqa: E402


def frechet(x, y):
    return frechet_distance(x.mean(0), np.cov(x, rowvar=False), y.mean(0), np.cov(y, rowvar=False))


rng = np.random.default_rng(20241025)
arrays = {}
cases = [(8, 200, 200, 0.3), (32, 500, 400, 0.1), (3, 50, 60, 1.0), (64, 40, 50, 0.2)]
for i, (d, n1, n2, shift) in enumerate(cases):
    mix = rng.normal(size=(d, d)) / np.sqrt(d)
    a = rng.normal(size=(n1, d)) @ mix
    b = rng.normal(size=(n2, d)) @ (mix + 0.2 * rng.normal(size=(d, d)) / np.sqrt(d)) + shift
    arrays[f"f{i}_a"] = a
    arrays[f"f{i}_b"] = b
    arrays[f"fd{i}"] = np.array(frechet(a, b))
arrays["mu0"] = arrays["f0_a"].mean(0)
arrays["sigma0"] = np.cov(arrays["f0_a"], rowvar=False)
np.savez(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/frechet-small.npz", **arrays)
