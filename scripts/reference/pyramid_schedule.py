#!/usr/bin/env python3
"""Golden values for test/models/contract/schedule.test.ts.

Re-states, with NumPy, what Pyramid-Flow's PyramidFlowMatchEulerDiscreteScheduler computes
(diffusion_schedulers/scheduling_flow_matching.py at commit 3040d71: init_sigmas, init_sigmas_for_each_stage,
set_timesteps), including its float32 global sigmas, and prints JSON.
"""
import json
import math

import numpy as np


def scheduler(stages=3, stage_range=(0, 1 / 3, 2 / 3, 1), gamma=1 / 3, shift=1.0, T=1000, steps=(4, 3, 2)):
    timesteps = np.linspace(1, T, T, dtype=np.float32)[::-1].copy()
    sigmas = timesteps / np.float32(T)
    sigmas = np.float32(shift) * sigmas / (1 + (np.float32(shift) - 1) * sigmas)
    timesteps = sigmas * np.float32(T)
    start, end, raw, dist = [], [], [], []
    for k in range(stages):
        si = max(int(stage_range[k] * T), 0)
        ei = min(int(stage_range[k + 1] * T), T)
        s = float(sigmas[si])
        e = float(sigmas[ei]) if ei < T else 0.0
        raw.append(s)
        if k != 0:
            c = 1 - s
            s = 1 - (1 / (math.sqrt(1 + 1 / gamma) * (1 - c) + c)) * c
        start.append(s)
        end.append(e)
        dist.append(s - e)
    total = sum(dist)
    out = []
    for k in range(stages):
        a = 0.0 if k == 0 else sum(dist[:k]) / total
        b = 1.0 if k == stages - 1 else sum(dist[: k + 1]) / total
        tmax = timesteps[int(a * T)]
        tmin = timesteps[min(int(b * T), T - 1)]
        stage_ts = np.linspace(tmax, tmin, T + 1)[:-1]
        ts = np.linspace(stage_ts[0], stage_ts[-1], steps[k])
        stage_sig = np.linspace(1, 0, T + 1)[:-1]
        ratios = np.concatenate([np.linspace(stage_sig[0], stage_sig[-1], steps[k]), [0.0]])
        out.append(dict(start=start[k], end=end[k], rawStart=raw[k], timesteps=[float(t) for t in ts], ratios=[float(r) for r in ratios]))
    return out


cases = {
    "default": dict(),
    "shift3": dict(shift=3.0),
    "two-stages-gamma-quarter": dict(stages=2, stage_range=(0, 0.5, 1), gamma=0.25, steps=(5, 2)),
}
print(json.dumps({name: scheduler(**kw) for name, kw in cases.items()}, indent=1))
