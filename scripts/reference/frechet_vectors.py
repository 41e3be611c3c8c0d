#!/usr/bin/env python3
"""Reference vectors for test/metrics/frechet.test.ts, from NumPy/SciPy.

Writes test/fixtures/frechet-small.npz: feature sets f{case}_a, f{case}_b (float64, rows = samples) and the
expected distance fd{case} computed as pytorch-fid's calculate_frechet_distance does (np.cov with N - 1,
scipy.linalg.sqrtm of sigma1 @ sigma2, the eps retry when the root is not finite, real part), plus the mean and
covariance of f0_a. Case 3 has fewer samples than dimensions (singular covariances).
"""
import sys

import numpy as np
from scipy import linalg


def frechet(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean = linalg.sqrtm(s1.dot(s2))
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * 1e-6
        covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


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
