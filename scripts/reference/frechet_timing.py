#!/usr/bin/env python3
"""Times the reference Fréchet-distance routes on one case, for tools/perf/frechet-speed.ts.

usage: frechet_timing.py CASES.npz K ROUTES OUT.json

Reads mu{K}_a, sigma{K}_a, mu{K}_b, sigma{K}_b (as written by frechet_large.py) and times, once each, the routes
named in ROUTES (comma-separated): `sqrtm` (pytorch-fid / clean-fid / ADM: scipy.linalg.sqrtm of sigma_a @ sigma_b,
eps retry, real part) and `eigvals` (torch-fidelity >= 0.4: sum of Re sqrt of np.linalg.eigvals of the product, as
complex). Writes {route: {seconds, fd}} plus the NumPy/SciPy versions and BLAS to OUT.json.
"""
import json
import os
import sys
import time

import numpy as np
import scipy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_fid_formula import frechet_distance as sqrtm_route  # noqa: E402



def eigvals_route(mu1, s1, mu2, s2):
    roots = np.sqrt(np.linalg.eigvals(s1.dot(s2)).astype(np.complex128)).real.sum()
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * roots)


def blas_name():
    try:
        info = np.show_config(mode="dicts")
        blas = info["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older NumPy has no dict mode
        return "unknown"


cases, k, routes, out = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
data = np.load(cases)
args = (data[f"mu{k}_a"], data[f"sigma{k}_a"], data[f"mu{k}_b"], data[f"sigma{k}_b"])
result = {"numpy": np.__version__, "scipy": scipy.__version__, "python": sys.version.split()[0], "blas": blas_name(), "routes": {}}
for route in routes:
    fn = {"sqrtm": sqrtm_route, "eigvals": eigvals_route}[route]
    started = time.perf_counter()
    fd = fn(*args)
    result["routes"][route] = {"seconds": time.perf_counter() - started, "fd": fd}
with open(out, "w") as f:
    json.dump(result, f)
