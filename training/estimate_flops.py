#!/usr/bin/python3
"""Expected training FLOPs of a pyramid run that predates train.py's running total: the mean forward FLOPs of a
training step over the stage groups and the uniformly drawn current unit (as train.py draws them), x 3 for the
backward pass, x steps.

  /usr/bin/python3 training/estimate_flops.py training/runs/pyramid/ema-4000.pt --batch 48
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import stage_windows, video_units  # noqa: E402
from objectives import pyramid_example  # noqa: E402
from train import build_model, forward_flops  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ckpt")
    ap.add_argument("--batch", type=int, default=48)
    args = ap.parse_args()
    st = torch.load(args.ckpt)
    cfg = st["cfg"]
    model = build_model(st["role"], cfg)
    windows = stage_windows()
    T, size = cfg["frames"], cfg["size"]
    units = len(video_units(T, 1))
    per = args.batch // len(windows)
    g = torch.Generator().manual_seed(0)
    clip = torch.zeros(per, 3, T, size, size)
    total = 0.0
    for k in range(len(windows)):
        for u in range(units):
            total += forward_flops(model, pyramid_example(clip, k, u, g, windows)) / units
    print(f"{3 * total * st['step']:.6e}")


if __name__ == "__main__":
    main()
