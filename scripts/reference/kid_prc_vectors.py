#!/usr/bin/env python3
"""Reference vectors for test/metrics/kid.test.ts, precision-recall.test.ts and core/mt19937.test.ts.

Writes test/fixtures/kid-prc.npz:
- real (300 x 32), gen (250 x 32): seeded float64 features (gen shifted and rescaled);
- mt_bytes: np.random.RandomState(5489).bytes(16) (the first four MT19937 outputs, little-endian);
- perm: RandomState(7).permutation(20); choice_a, choice_b: RandomState(2020).choice(300, 50, replace=False),
  then .choice(250, 50, replace=False) from the same stream;
- kid_tf: torch-fidelity's kid_features_to_metric (RandomState(2020), set 1 then set 2 per subset, unbiased
  mmd2 of the cubic polynomial kernel) with 10 subsets of 50, in float64: per-subset values, mean, std (ddof 0);
- kid_cf: clean-fid's kernel_distance after np.random.seed(123), 10 subsets, m = min(300, 250, 1000) (set 2
  drawn before set 1), float64;
- prc_k3, prc_k5: torch-fidelity's calculate_precision_recall_full (features_1 = real, features_2 = gen; k-th
  neighbour radius by kthvalue(k + 1); <= radius), distances from scipy.spatial.distance.cdist.
"""
import sys

import numpy as np
from scipy.spatial.distance import cdist


def mmd2_unbiased(k_xx, k_xy, k_yy):
    m = k_xx.shape[0]
    kt_xx = k_xx.sum() - np.trace(k_xx)
    kt_yy = k_yy.sum() - np.trace(k_yy)
    return (kt_xx + kt_yy) / (m * (m - 1)) - 2 * k_xy.sum() / (m * m)


def poly(x, y):
    return (x @ y.T / x.shape[1] + 1) ** 3


def kid_torch_fidelity(f1, f2, subsets, size, seed):
    rng = np.random.RandomState(seed)
    out = np.zeros(subsets)
    for i in range(subsets):
        a = f1[rng.choice(len(f1), size, replace=False)]
        b = f2[rng.choice(len(f2), size, replace=False)]
        out[i] = mmd2_unbiased(poly(a, a), poly(a, b), poly(b, b))
    return out


def kid_clean_fid(feats1, feats2, subsets, max_size, seed):
    np.random.seed(seed)
    n = feats1.shape[1]
    m = min(min(feats1.shape[0], feats2.shape[0]), max_size)
    t = 0
    for _ in range(subsets):
        x = feats2[np.random.choice(feats2.shape[0], m, replace=False)]
        y = feats1[np.random.choice(feats1.shape[0], m, replace=False)]
        a = (x @ x.T / n + 1) ** 3 + (y @ y.T / n + 1) ** 3
        b = (x @ y.T / n + 1) ** 3
        t += (a.sum() - np.diag(a).sum()) / (m - 1) - b.sum() * 2 / m
    return t / subsets / m


def prc(real, gen, k):
    radius_real = np.sort(cdist(real, real), axis=1)[:, k]
    radius_gen = np.sort(cdist(gen, gen), axis=1)[:, k]
    d_gen_real = cdist(gen, real)
    precision = (d_gen_real <= radius_real[None, :]).any(axis=1).mean()
    recall = (d_gen_real.T <= radius_gen[None, :]).any(axis=1).mean()
    return np.array([precision, recall])


rng = np.random.default_rng(4)
mix = rng.normal(size=(32, 32)) / np.sqrt(32)
real = np.abs(rng.normal(size=(300, 32)) @ mix)
gen = 1.1 * np.abs(rng.normal(size=(250, 32)) @ mix) + 0.05
mt = np.random.RandomState(5489)
choice = np.random.RandomState(2020)
arrays = {
    "real": real,
    "gen": gen,
    "mt_bytes": np.frombuffer(mt.bytes(16), dtype=np.uint8),
    "perm": np.random.RandomState(7).permutation(20).astype(np.int64),
    "choice_a": choice.choice(300, 50, replace=False).astype(np.int64),
    "choice_b": choice.choice(250, 50, replace=False).astype(np.int64),
}
tf = kid_torch_fidelity(real, gen, 10, 50, 2020)
arrays["kid_tf_subsets"] = tf
arrays["kid_tf"] = np.array([tf.mean(), tf.std()])
arrays["kid_cf"] = np.array(kid_clean_fid(real, gen, 10, 1000, 123))
arrays["prc_k3"] = prc(real, gen, 3)
arrays["prc_k5"] = prc(real, gen, 5)
np.savez(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/kid-prc.npz", **arrays)
