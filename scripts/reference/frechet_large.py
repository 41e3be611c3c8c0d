#!/usr/bin/env python3
"""Large reference cases for the Fréchet distance, generated when the tests run (too big to commit).

usage: frechet_large.py OUT.npz

For each case k: mu{k}_a, sigma{k}_a, mu{k}_b, sigma{k}_b (float64; np.mean and np.cov with N - 1 of seeded
Gaussian features) and fd{k} as pytorch-fid computes it (scipy.linalg.sqrtm of sigma_a @ sigma_b, the eps retry
when the root is not finite, real part). Case 0 is d = 2048 (full rank, N = 3000 and 2600), case 1 d = 256 with
N = 1000 and 800, case 2 d = 256 with N = 200 < d (singular).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_fid_formula import frechet_distance  # noqa: E402


def features(rng, n, d, mix, shift):
    # a correlated, non-negative-mean feature cloud, like pooled network activations
    return np.abs(rng.normal(size=(n, d)) @ mix) + shift


rng = np.random.default_rng(2048)
arrays = {}
for k, (d, n1, n2) in enumerate([(2048, 3000, 2600), (256, 1000, 800), (256, 200, 180)]):
    mix = rng.normal(size=(d, d)) / np.sqrt(d)
    a = features(rng, n1, d, mix, 0.0)
    b = features(rng, n2, d, mix + 0.1 * rng.normal(size=(d, d)) / np.sqrt(d), 0.05)
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    arrays.update({f"mu{k}_a": mu_a, f"sigma{k}_a": s_a, f"mu{k}_b": mu_b, f"sigma{k}_b": s_b})
    arrays[f"count{k}"] = np.array([n1, n2], dtype=np.int64)
    arrays[f"fd{k}"] = np.array(frechet_distance(mu_a, s_a, mu_b, s_b))
np.savez(sys.argv[1], **arrays)
