#!/usr/bin/python3
"""Exports trained networks (or freshly initialised ones) to a pyramid-bench model package: a folder with
`manifest.json` and ONNX files (format: docs/model-format.md). Also keeps the PyTorch weights beside the ONNX
files when asked (`--keep-torch`), for the reference sampler.

  /usr/bin/python3 training/export.py --kind pyramid --ckpt training/runs/pyramid/ema-3000.pt --out checkpoints/shapes-pyramid
  /usr/bin/python3 training/export.py --kind cascade --ckpt runs/base/ema-1.pt --ckpt runs/sr/ema-1.pt --out checkpoints/shapes-cascade
  /usr/bin/python3 training/export.py --kind pyramid --init --dim 16 --depth 1 --out /tmp/pkg --keep-torch   (fresh, tiny)
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import build_model  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from pyramid_bench_models.hashing import sha256_of  # noqa: E402

CLASS_NAMES = ["warm disk", "cool disk", "warm square", "cool square", "warm triangle", "cool triangle"]


class PyramidNet(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, timestep, label, x_frame0, x_level, hist_0, hist_1, hist_2, hist_layout):
        return self.model(x, timestep, label, x_frame0, x_level, [hist_0, hist_1, hist_2], hist_layout)


class PlainNet(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, timestep, label):
        zero = torch.zeros(1, dtype=torch.int64, device=x.device)
        return self.model(x, timestep, label, zero, zero, [], torch.zeros(0, 2, dtype=torch.int64, device=x.device))


class SuperResolutionNet(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, timestep, label, low_res):
        zero = torch.zeros(1, dtype=torch.int64, device=x.device)
        return self.model(x, timestep, label, zero, zero, [], torch.zeros(0, 2, dtype=torch.int64, device=x.device), low_res)



def export_network(role, model, path, frames):
    """Traces one network to ONNX with dynamic batch, frames and (pyramid) spatial size; returns the inputs map."""
    C, H, W = model.channels, model.height, model.width
    B = 2
    dyn = {"x": {0: "batch", 2: "frames", 3: "height", 4: "width"}, "timestep": {0: "batch"}, "label": {0: "batch"}, "velocity": {0: "batch", 2: "frames", 3: "height", 4: "width"}}
    x = torch.randn(B, C, 1, H // 2, W // 2)
    t = torch.full((B,), 500.0)
    y = torch.zeros(B, dtype=torch.int64)
    if role == "pyramid":
        net = PyramidNet(model)
        hist = [torch.randn(B, C, 2, H // 2 ** level, W // 2 ** level) for level in range(3)]
        for level in range(3):
            dyn[f"hist_{level}"] = {0: "batch", 2: f"frames_{level}"}
        args = (x, t, y, torch.tensor([2]), torch.tensor([1]), *hist, torch.tensor([[0, 1], [0, 1], [0, 2]], dtype=torch.int64))
        names = ["x", "timestep", "label", "x_frame0", "x_level", "hist_0", "hist_1", "hist_2", "hist_layout"]
        inputs = {"x": "x", "timestep": "timestep", "label": "label", "frame0": "x_frame0", "level": "x_level", "history": ["hist_0", "hist_1", "hist_2"], "historyLayout": "hist_layout"}
    elif role == "cascade-super-resolution":
        net = SuperResolutionNet(model)
        x = torch.randn(B, C, frames, H, W)
        args = (x, t, y, torch.randn(B, C, frames, H, W))
        names = ["x", "timestep", "label", "low_res"]
        dyn["low_res"] = {0: "batch", 2: "frames", 3: "height", 4: "width"}
        inputs = {"x": "x", "timestep": "timestep", "label": "label", "lowRes": "low_res"}
    else:
        net = PlainNet(model)
        x = torch.randn(B, C, frames, H, W)
        args = (x, t, y)
        names = ["x", "timestep", "label"]
        inputs = {"x": "x", "timestep": "timestep", "label": "label"}
    net.eval()
    with torch.no_grad():
        torch.onnx.export(net, args, path, input_names=names, output_names=["velocity"], dynamic_axes=dyn, opset_version=17, do_constant_folding=True)
    return inputs, net, args




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", required=True, choices=["pyramid", "full", "cascade"])
    ap.add_argument("--ckpt", action="append", default=[], help="EMA snapshot(s) from train.py; cascade: base then super-resolution")
    ap.add_argument("--init", action="store_true", help="export freshly initialised networks instead")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dim", type=int, default=96)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--patch", type=int, default=4)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--frames", type=int, default=9)
    ap.add_argument("--classes", type=int, default=6)
    ap.add_argument("--refine", type=int, default=32)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default=None)
    ap.add_argument("--keep-torch", action="store_true")
    ap.add_argument("--guidance", default="3,2", help="default guidance: first-frame,video")
    ap.add_argument("--steps", default="10,10,10", help="default Euler steps per stage (pyramid) or in total (full, cascade per stage)")
    ap.add_argument("--training-note", default="{}", help="JSON merged into the manifest's training section")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    roles = {"pyramid": ["pyramid"], "full": ["full"], "cascade": ["cascade-base", "cascade-sr"]}[args.kind]
    torch.manual_seed(args.seed)
    networks = []
    training = json.loads(args.training_note)
    cost = None
    for i, role in enumerate(roles):
        if args.init:
            cfg = dict(size=args.size, patch=args.patch, dim=args.dim, depth=args.depth, heads=args.heads, classes=args.classes, frames=args.frames, refine=args.refine)
            model = build_model(role, cfg)
            # give the zero-initialised output layers small random weights so the network is not the zero map
            for name, p in model.named_parameters():
                if ("ada" in name or name.startswith("final") or name.startswith("refine_out")) and p.dim() > 0:
                    torch.nn.init.normal_(p, std=0.02)
            step = 0
        else:
            st = torch.load(args.ckpt[i])
            cfg = st["cfg"]
            model = build_model(role, cfg)
            model.load_state_dict(st["ema"])
            step = st["step"]
        model.eval()
        manifest_role = {"pyramid": "pyramid", "full": "full", "cascade-base": "cascade-base", "cascade-sr": "cascade-super-resolution"}[role]
        file = f"{manifest_role}.onnx"
        inputs, net, _ = export_network(manifest_role, model, os.path.join(args.out, file), cfg["frames"])
        if args.keep_torch:
            torch.save(dict(state=model.state_dict(), cfg=cfg, role=role), os.path.join(args.out, f"{manifest_role}.pt"))
        entry = dict(role=manifest_role, file=file, sha256=sha256_of(os.path.join(args.out, file)), height=model.height, width=model.width, inputs=inputs, output="velocity")
        if manifest_role == "cascade-super-resolution":
            entry["lowResUpsample"] = "nearest"
        networks.append(entry)
        training.setdefault("steps", {})[role] = step
        p2, C, d = cfg["patch"] ** 2, 3, cfg["dim"]
        c_in = 2 * C if role == "cascade-sr" else C
        # per token: patch embedding (2 c_in p^2 d); output projection (2 d p^2 C) and the refinement convolutions
        # over the token's p^2 pixels (3x3: 2C -> r -> C)
        r = cfg.get("refine", 0)
        cost = dict(parameters=sum(int(p.numel()) for p in model.parameters()), hidden=d, depth=cfg["depth"], mlpRatio=4, conditionTokens=0, attention="dense",
                    inputFlopsPerToken=2 * c_in * p2 * d, outputFlopsPerToken=2 * d * p2 * C + p2 * 2 * 9 * (2 * C * r + r * C))
        frames, size, classes, patch = cfg["frames"], cfg["size"], cfg["classes"], cfg["patch"]
    first, video = (float(v) for v in args.guidance.split(","))
    steps = [int(s) for s in args.steps.split(",")]
    manifest = {
        "format": "pyramid-bench/model-package",
        "version": 1,
        "name": args.name or os.path.basename(os.path.normpath(args.out)),
        "kind": args.kind,
        "sample": {"space": "pixel", "channels": 3, "frames": frames, "height": size, "width": size, "valueRange": [-1, 1], "fps": 8},
        "conditioning": {"kind": "class", "classes": classes, "nullLabel": classes, "classNames": CLASS_NAMES[:classes]},
        "temporal": {"mode": "autoregressive" if args.kind == "pyramid" else "joint", "framesPerUnit": 1},
        "networks": networks,
        "patchSize": patch,
        "cost": cost,
        "defaults": {"guidance": {"firstFrame": first, "video": video}},
        "training": training,
    }
    if args.kind == "pyramid":
        manifest["pyramid"] = {"stages": 3, "stageRange": [0, 1 / 3, 2 / 3, 1], "gamma": 1 / 3, "shift": 1, "trainTimesteps": 1000}
        manifest["defaults"]["stepsPerStage"] = steps
        manifest["defaults"]["videoStepsPerStage"] = steps
    elif args.kind == "full":
        manifest["defaults"]["steps"] = sum(steps)
    else:
        manifest["defaults"]["stepsPerStage"] = steps[: len(networks)]
    tmp = os.path.join(args.out, "manifest.json.tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, os.path.join(args.out, "manifest.json"))
    print(f"wrote {args.out}: {', '.join(n['file'] for n in networks)}")


if __name__ == "__main__":
    main()
