#!/usr/bin/python3
"""A PyTorch reference of the three samplers, written after Pyramid-Flow's `generate` / `generate_one_unit`
(commit 3040d71) and diffusers' flow-matching Euler sampler, run on the PyTorch weights of a package exported with
`export.py --keep-torch`. It takes the noise the TypeScript sampler drew (recorded by the test into an .npz), so
both runs see identical noise, and writes its samples for comparison.

Its schedule and history layout come from common.py, which restates the harness's own TypeScript code
(src/models/contract/schedule.ts, src/samplers/pyramid/temporal-pyramid.ts); so its agreement test
(test/models/onnx/reference.test.ts) is an internal consistency check between two implementations of one reading
of Pyramid-Flow, not evidence of fidelity to the official code, which it does not run.

  /usr/bin/python3 training/reference_sampler.py --package DIR --sampler pyramid --noise noise.npz --plan plan.json --out ref.npz

plan.json: {"labels": [...], "indices": [...], "frames": T, "guidance": [first, video], "steps": [...]}
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import down2, down_n, flow_grid, history_layout, stage_grid, stage_windows, up_nearest, video_units  # noqa: E402
from train import build_model  # noqa: E402


class RecordedNoise:
    """Noise keyed by (sample index, purpose), as the TypeScript PhiloxNoise produced it."""

    def __init__(self, path):
        d = np.load(path)
        keys = json.loads(bytes(d["keys"]).decode("utf8"))
        self.values = {k: d[f"v{i}"] for i, k in enumerate(keys)}

    def get(self, index, purpose, shape):
        v = self.values[f"{index}|{purpose}"]
        return torch.from_numpy(v.astype(np.float32)).reshape(shape)


LOAD_SECONDS = [0.0]
CALLS = [0]
FORWARD_SECONDS = [0.0]


def load(package, role):
    started = time.perf_counter()
    try:
        return _load(package, role)
    finally:
        LOAD_SECONDS[0] += time.perf_counter() - started


def _load(package, role):
    """The network of `role`: from `<role>.pt` (export.py --keep-torch), else through the package's own PyTorch
    factory (its manifest's torch section; for the committed shapes packages, weights read from the ONNX file)."""
    pt = os.path.join(package, f"{role}.pt")
    if os.path.exists(pt):
        st = torch.load(pt)
        model = build_model(st["role"], st["cfg"])
        model.load_state_dict(st["state"])
        model.eval()
        return model, st["cfg"]
    with open(os.path.join(package, "manifest.json")) as f:
        manifest = json.load(f)
    network = next(n for n in manifest["networks"] if n["role"] == role)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    import importlib
    factory = getattr(importlib.import_module(manifest["torch"]["module"]), manifest["torch"]["factory"])
    spec = dict(role=role, network=network, package=manifest, directory=os.path.abspath(package),
                weights=[os.path.join(package, w["file"]) for w in network["torch"]["weights"]], config=network["torch"].get("config", {}))
    model = factory(spec).wrapper.model.eval()
    return model, dict(classes=model.classes)


def block_noise(z, gamma):
    """Block-correlated noise from 4 normals per 2x2 block, z [C, T, h, w, 2, 2] -> [C, T, 2h, 2w]; the same
    construction as src/samplers/pyramid/renoise.ts (covariance (1 + gamma) I - gamma 11^T within a block)."""
    C, T, h, w = z.shape[:4]
    mean = z.mean(dim=(-2, -1), keepdim=True)
    m = math.sqrt(1 + gamma) * (z - mean) + math.sqrt(max(1 - 3 * gamma, 0)) * mean
    return m.permute(0, 1, 2, 4, 3, 5).reshape(C, T, 2 * h, 2 * w)


def guided(model_call, x, labels, null_label, scale):
    """v = v_u + s (v_c - v_u) with [unconditional, conditional] rows in one call (scale 1: conditional only)."""
    B = x.shape[0]
    CALLS[0] += 1
    started = time.perf_counter()
    if scale == 1:
        v = model_call(x, labels)
        FORWARD_SECONDS[0] += time.perf_counter() - started
        return v
    xx, ll = torch.cat([x, x]), torch.cat([torch.full((B,), null_label), labels])
    started = time.perf_counter()
    v = model_call(xx, ll)
    FORWARD_SECONDS[0] += time.perf_counter() - started
    vu, vc = v[:B], v[B:]
    return vu + scale * (vc - vu)


def pyramid(package, noise, plan):
    model, cfg = load(package, "pyramid")
    C, H, W = 3, model.height, model.width
    T = plan["frames"]
    K = 3
    gamma = 1 / 3
    windows = stage_windows()
    idx = plan["indices"]
    labels = torch.tensor(plan["labels"], dtype=torch.int64)
    null = cfg["classes"]
    B = len(idx)
    # initial noise at full resolution, taken down K-1 times as noise (Pyramid-Flow: bilinear down * 2)
    latents = torch.stack([noise.get(i, "initial", (C, T, H, W)) for i in idx])
    for _ in range(K - 1):
        latents = down2(latents) * 2
    generated = []
    for unit, (first, frames) in enumerate(video_units(T, 1)):
        x = latents[:, :, first:first + frames]
        clean = [down_n(torch.cat(generated, dim=2), lvl) for lvl in range(K)] if generated else None
        steps = plan["steps"] if unit == 0 else plan["video_steps"]
        scale = plan["guidance"][0] if unit == 0 else plan["guidance"][1]
        for w, n in zip(windows, steps):
            if w["stage"] > 0:
                x = up_nearest(x)
                c = 1 - w["raw_start"]
                alpha = 1 / (math.sqrt(1 + 1 / gamma) * (1 - c) + c)
                beta = alpha * (1 - c) / math.sqrt(gamma)
                h2, w2 = x.shape[-2] // 2, x.shape[-1] // 2
                m = torch.stack([block_noise(noise.get(i, f"jump/unit{unit}/stage{w['stage']}", (C, frames, h2, w2, 2, 2)), gamma) for i in idx])
                x = alpha * x + beta * m
            # history per level for this stage (empty levels: 0 frames, skipped by the eager model)
            hist, layout = [], []
            slices = history_layout(unit, w["stage"], first, 1)
            for level in range(K):
                parts = [(f, c) for (s, f, c) in slices if K - 1 - s == level]
                if parts:
                    f0, count = parts[0][0], sum(c for _, c in parts)
                    hist.append(clean[level][:, :, f0:f0 + count])
                    layout.append([f0, count])
                else:
                    hist.append(torch.zeros(B, C, 0, H // 2 ** level, W // 2 ** level))
                    layout.append([0, 0])
            layout_t = torch.tensor(layout, dtype=torch.int64)
            ratios, timesteps = stage_grid(w, n)

            def call(xx, ll, t):
                rows = xx.shape[0]
                hh = [h.repeat(rows // B, 1, 1, 1, 1) for h in hist]
                return model(xx, torch.full((rows,), t, dtype=torch.float32), ll, torch.tensor([first]), torch.tensor([w["level"]]), hh, layout_t)

            for i in range(n):
                with torch.no_grad():
                    v = guided(lambda xx, ll: call(xx, ll, timesteps[i]), x, labels, null, scale)
                x = x + (ratios[i + 1] - ratios[i]) * v
        generated.append(x)
    return torch.cat(generated, dim=2)


def plain(package, role, noise, plan, stage_count=1):
    """Full resolution (role 'full') or the cascade (roles 'cascade-base', 'cascade-super-resolution')."""
    labels = torch.tensor(plan["labels"], dtype=torch.int64)
    idx = plan["indices"]
    T = plan["frames"]
    scale = plan["guidance"][0] if T == 1 else plan["guidance"][1]
    roles = [role] if role == "full" else ["cascade-base", "cascade-super-resolution"]
    previous = None
    for s, r in enumerate(roles):
        model, cfg = load(package, r)
        C, H, W = 3, model.height, model.width
        if s == 0:
            final = H * 2 ** (len(roles) - 1)
            x = torch.stack([noise.get(i, "initial", (C, T, final, final)) for i in idx])
            for _ in range(len(roles) - 1):
                x = down2(x) * 2
        else:
            x = torch.stack([noise.get(i, f"cascade/stage{s}", (C, T, H, W)) for i in idx])
        n = plan["steps"][s] if role != "full" else sum(plan["steps"])
        ratios, timesteps = flow_grid(n)
        low = up_nearest(previous) if previous is not None else None
        for i in range(n):
            def call(xx, ll):
                rows = xx.shape[0]
                t = torch.full((rows,), timesteps[i], dtype=torch.float32)
                zero = torch.zeros(1, dtype=torch.int64)
                extra = low.repeat(rows // low.shape[0], 1, 1, 1, 1) if low is not None else None
                return model(xx, t, ll, zero, zero, [], torch.zeros(0, 2, dtype=torch.int64), extra)

            with torch.no_grad():
                v = guided(call, x, labels, cfg["classes"], scale)
            x = x + (ratios[i + 1] - ratios[i]) * v
        previous = x
    return previous


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", required=True)
    ap.add_argument("--sampler", required=True, choices=["pyramid", "full", "cascade"])
    ap.add_argument("--noise", required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--timing", help="write {seconds, load_seconds} of the sampling loop here (the worker benchmark)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    noise = RecordedNoise(args.noise)
    with open(args.plan) as f:
        plan = json.load(f)
    started = time.perf_counter()
    if args.sampler == "pyramid":
        out = pyramid(args.package, noise, plan)
    elif args.sampler == "full":
        out = plain(args.package, "full", noise, plan)
    else:
        out = plain(args.package, "cascade", noise, plan)
    seconds = time.perf_counter() - started - LOAD_SECONDS[0]
    np.savez(args.out, samples=out.numpy().astype(np.float32))
    if args.timing:
        with open(args.timing, "w") as f:
            json.dump(dict(seconds=seconds, load_seconds=LOAD_SECONDS[0], calls=CALLS[0], forward_seconds=FORWARD_SECONDS[0], threads=torch.get_num_threads(), torch=torch.__version__), f)


if __name__ == "__main__":
    main()
