#!/usr/bin/python3
"""Trains the small networks of the embedded default models on the moving-shapes data set, on CPU.

  /usr/bin/python3 training/train.py --role pyramid --data data.npz --out training/runs/pyramid --minutes 40
  roles: pyramid (unified pyramidal DiT, spatial + temporal pyramid), full (full-resolution, all frames jointly),
         cascade-base (low resolution, all frames jointly), cascade-sr (2x super-resolution given the base output)

Saves `state.pt` (model, EMA, optimiser, step, generator state) every `--save-every` steps and at the end, so a
killed run resumes where it stopped, and `ema-<step>.pt` snapshots for checkpoint comparison.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import down_n, stage_windows, video_units  # noqa: E402
from model import PyramidDiT  # noqa: E402
from objectives import plain_example, pyramid_example  # noqa: E402

ROLE_GEOMETRY = {"pyramid": (0, 3), "full": (0, 0), "cascade-base": (1, 0), "cascade-sr": (0, 0)}


def build_model(role, cfg):
    level, history_levels = ROLE_GEOMETRY[role]
    size = cfg["size"] // 2 ** level
    return PyramidDiT(channels=3, height=size, width=size, patch=cfg["patch"], dim=cfg["dim"], depth=cfg["depth"], heads=cfg["heads"],
                      classes=cfg["classes"], levels=history_levels, low_res_input=(role == "cascade-sr"), refine=cfg.get("refine", 0))


def forward_flops(model, ex):
    """Forward FLOPs of one training call, by the harness's cost model (src/models/contract/cost-model.ts): per block
    (8 + 4 mlp_ratio) d^2 per token and 4 d per query-key pair (dense attention), plus the patch embedding of every
    token and the output head of the current tokens; the backward pass is counted as twice the forward."""
    p2, d, C = model.patch ** 2, model.dim, model.channels
    B = ex["x"].shape[0]
    current = ex["x"].shape[2] * (ex["x"].shape[3] * ex["x"].shape[4]) // p2
    history = sum(h.shape[2] * h.shape[3] * h.shape[4] // p2 for h in ex.get("hist", []))
    tokens = current + history
    blocks = model.depth * ((8 + 4 * model.mlp_ratio) * d * d * tokens + 4 * d * tokens * tokens)
    c_in = 2 * C if model.low_res_input else C
    head = current * (2 * d * p2 * C + p2 * 2 * 9 * (2 * C * model.refine + model.refine * C))
    return B * (blocks + tokens * 2 * c_in * p2 * d + head)


def run_model(model, ex, label):
    B = ex["x"].shape[0]
    if "hist" in ex:
        return model(ex["x"], ex["timestep"], label, ex["x_frame0"], ex["x_level"], ex["hist"], ex["hist_layout"])
    zero = torch.zeros(1, dtype=torch.int64)
    return model(ex["x"], ex["timestep"], label, zero, zero, [], torch.zeros(0, 2, dtype=torch.int64), ex.get("low_res"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", required=True, choices=sorted(ROLE_GEOMETRY))
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=40)
    ap.add_argument("--steps", type=int, default=10**9)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--lr", type=float, default=4e-4)
    ap.add_argument("--dim", type=int, default=96)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--patch", type=int, default=4)
    ap.add_argument("--refine", type=int, default=32, help="channels of the pixel-level refinement head (0 = none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--snapshot-every", type=int, default=0, help="keep ema-<step>.pt every N steps (0 = only at the end)")
    ap.add_argument("--cfg-dropout", type=float, default=0.1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    data = np.load(args.data)
    videos_u8 = torch.from_numpy(data["videos"])  # uint8 [N, 3, T, H, W] or float32 in [-1, 1]
    labels = torch.from_numpy(data["labels"]).long()
    N, _, T, H, W = videos_u8.shape
    cfg = dict(size=H, patch=args.patch, dim=args.dim, depth=args.depth, heads=args.heads, classes=int(labels.max()) + 1, frames=T, refine=args.refine)
    model = build_model(args.role, cfg)
    ema = build_model(args.role, cfg)
    ema.load_state_dict(model.state_dict())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(args.seed)
    step = 0
    train_flops = 0.0  # forward + backward, estimated with the harness's cost model
    elapsed_before = 0.0  # training seconds of earlier sessions of this run (the budget counts all of them)
    state_file = os.path.join(args.out, "state.pt")
    log_file = os.path.join(args.out, "log.jsonl")
    if os.path.exists(state_file):
        st = torch.load(state_file)
        model.load_state_dict(st["model"])
        ema.load_state_dict(st["ema"])
        opt.load_state_dict(st["opt"])
        g.set_state(st["generator"])
        step = st["step"]
        elapsed_before = st.get("elapsed", 0.0)
        train_flops = st.get("train_flops", 0.0)
        print(f"resumed {args.role} at step {step} after {elapsed_before:.0f} s", flush=True)
    windows = stage_windows()
    units = len(video_units(T, 1))

    def to_float(v):
        return v.float() / 127.5 - 1 if v.dtype == torch.uint8 else v

    def save(final=False):
        tmp = state_file + ".tmp"
        torch.save(dict(model=model.state_dict(), ema=ema.state_dict(), opt=opt.state_dict(), generator=g.get_state(), step=step, cfg=cfg, role=args.role,
                        elapsed=elapsed_before + time.time() - started, train_flops=train_flops), tmp)
        os.replace(tmp, state_file)
        if final or (args.snapshot_every and step % args.snapshot_every == 0):
            torch.save(dict(ema=ema.state_dict(), step=step, cfg=cfg, role=args.role, train_flops=train_flops, elapsed=elapsed_before + time.time() - started),
                       os.path.join(args.out, f"ema-{step}.pt"))

    started = time.time()
    print(f"{args.role}: {model.parameter_count()} parameters, data {tuple(videos_u8.shape)}, batch {args.batch}", flush=True)
    while step < args.steps and elapsed_before + time.time() - started < args.minutes * 60:
        lr = args.lr * min(1.0, (step + 1) / 200)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        total = 0.0
        if args.role == "pyramid":
            groups = [(k, int(torch.randint(0, units, (1,), generator=g))) for k in range(len(windows))]
            per = args.batch // len(groups)
        else:
            groups = [None]
            per = args.batch
        for grp in groups:
            idx = torch.randint(0, N, (per,), generator=g)
            clip = to_float(videos_u8[idx])
            label = labels[idx].clone()
            label[torch.rand(per, generator=g) < args.cfg_dropout] = cfg["classes"]
            if args.role == "pyramid":
                ex = pyramid_example(clip, grp[0], grp[1], g, windows)
            elif args.role == "cascade-base":
                ex = plain_example(down_n(clip, 1), g)
            elif args.role == "cascade-sr":
                ex = plain_example(clip, g, low_res_levels=1)
            else:
                ex = plain_example(clip, g)
            pred = run_model(model, ex, label)
            train_flops += 3 * forward_flops(model, ex)
            loss = ((pred - ex["target"]) ** 2).mean() / len(groups)
            loss.backward()
            total += float(loss)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        with torch.no_grad():
            decay = min(0.999, (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        if step % 20 == 0:
            line = dict(step=step, loss=total, lr=lr, seconds=round(elapsed_before + time.time() - started, 1), train_tflops=round(train_flops / 1e12, 3))
            print(json.dumps(line), flush=True)
            with open(log_file, "a") as f:
                f.write(json.dumps(line) + "\n")
        if step % args.save_every == 0:
            save()
    save(final=True)
    print(f"done: {args.role} step {step} in {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
