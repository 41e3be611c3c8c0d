"""Shared pieces of the training recipe: the pyramid schedule (float64, the same numbers as
src/models/contract/schedule.ts, which restates Pyramid-Flow's scheduler), the temporal-pyramid history layout
(src/samplers/pyramid/temporal-pyramid.ts), the 2x2 resampling of src/core/tensor.ts, and the data set loader.
Runs under Debian's /usr/bin/python3 with python3-torch (1.13) and python3-numpy.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

T_TRAIN = 1000


def shift_sigma(s, shift):
    return shift * s / (1 + (shift - 1) * s)


def stage_windows(stages=3, stage_range=(0, 1 / 3, 2 / 3, 1), gamma=1 / 3, shift=1.0, T=T_TRAIN):
    """Per stage: start sigma (jump-corrected), end sigma, raw start, level, timestep max and end (float64)."""
    sigmas = [shift_sigma((T - i) / T, shift) for i in range(T)]
    timesteps = [s * T for s in sigmas]
    raw = []
    for k in range(stages):
        si = max(math.floor(stage_range[k] * T), 0)
        ei = min(math.floor(stage_range[k + 1] * T), T)
        raw_start = sigmas[si]
        end = sigmas[ei] if ei < T else 0.0
        start = raw_start
        if k > 0:
            signal = 1 - raw_start
            start = 1 - signal / (math.sqrt(1 + 1 / gamma) * (1 - signal) + signal)
        raw.append((start, end, raw_start))
    dist = [s - e for s, e, _ in raw]
    total = sum(dist)
    out = []
    for k, (start, end, raw_start) in enumerate(raw):
        a = 0.0 if k == 0 else sum(dist[:k]) / total
        b = 1.0 if k == stages - 1 else sum(dist[: k + 1]) / total
        tmax = timesteps[math.floor(a * T)]
        tmin = timesteps[min(math.floor(b * T), T - 1)]
        tend = tmax + (tmin - tmax) * (T - 1) / T
        out.append(dict(stage=k, level=stages - 1 - k, start=start, end=end, raw_start=raw_start, tmax=tmax, tend=tend))
    return out


def linspace(a, b, n):
    if n == 1:
        return [a]
    step = (b - a) / (n - 1)
    out = [a + i * step for i in range(n)]
    out[-1] = b
    return out


def stage_grid(window, steps, T=T_TRAIN):
    """Euler ratios (steps + 1 values ending in 0) and network timesteps of one stage."""
    return linspace(1.0, 1.0 / T, steps) + [0.0], linspace(window["tmax"], window["tend"], steps)


def flow_grid(steps, shift=1.0, T=T_TRAIN):
    sig = [shift_sigma(s, shift) for s in linspace(1.0, 1.0 / T, steps)]
    return sig + [0.0], [s * T for s in sig]


def training_ratio_and_timestep(window, index, T=T_TRAIN):
    """Stage training point `index` of T: ratio 1 - index/T (Pyramid-Flow sigmas_per_stage) and its timestep."""
    ratio = 1.0 - index / T
    timestep = window["tmax"] + (window["tend"] - window["tmax"]) * index / (T - 1) if T > 1 else window["tmax"]
    return ratio, timestep


def video_units(frames, fpu):
    units = [(0, 1)]
    u = 1
    while 1 + (u - 1) * fpu < frames:
        units.append((1 + (u - 1) * fpu, fpu))
        u += 1
    return units


def history_layout(unit, stage, generated, fpu):
    """Oldest first: (stage whose resolution, first frame, frames); same rule as the TypeScript sampler."""
    if unit == 0:
        return []
    slices = []

    def push(s, a, b):
        a = max(a, 0)
        if b > a:
            slices.append((s, a, b - a))

    push(stage, generated - fpu, generated)
    current, back = stage, 1
    while back < unit:
        current = max(current - 1, 0)
        if current == 0:
            break
        back += 1
        push(current, generated - back * fpu, generated - (back - 1) * fpu)
    if current == 0 and back < unit:
        push(0, 0, generated - back * fpu)
    return list(reversed(slices))


def down2(x):
    """2x2 means over the last two axes of [..., H, W]."""
    *lead, h, w = x.shape
    return x.reshape(*lead, h // 2, 2, w // 2, 2).mean(dim=(-3, -1))


def down_n(x, n):
    for _ in range(n):
        x = down2(x)
    return x


def up_nearest(x, n=1):
    for _ in range(n):
        x = x.repeat_interleave(2, dim=-2).repeat_interleave(2, dim=-1)
    return x


def load_videos(path):
    """The npz written by `pyramid-bench data shapes`: videos float32 [N, 3, T, H, W] in [-1, 1], labels int64."""
    d = np.load(path)
    return torch.from_numpy(d["videos"]), torch.from_numpy(d["labels"])
