"""Trains the moving-shapes domain feature networks and exports them as ONNX feature extractors.

Two small conv nets, each trained on the data set's own labels (what `pyramid-bench data shapes` drew) so that its
penultimate features describe what matters in this domain:

  frame  (image, one 32x32 frame)   heads: class (6), background kind (4), shape centre (y, x), radius
  clip   (video, 9 frames of 32x32) heads: class (6), motion kind (straight / bouncing), the centre's track over
                                     the 9 frames (18 values), the first velocity (y, x), and the displacement
                                     from each frame to the next (16 values)

The 64-d pooled features are the FD/FVD feature spaces (`shapes-frame-v1`, `shapes-clip-v1`); the class logits
serve the conditional-accuracy metric. Frames are augmented with a little colour jitter (and, for the frame net,
light noise) so the features do not hinge on the renderer's exact pixels; the clip net gets no noise, which made
it blind to mild noise (docs/metrics-validation.md). Debian's /usr/bin/python3 with python3-torch (1.13), CPU.

  /usr/bin/python3 training/features.py --net frame --data TRAIN.npz --val VAL.npz --out extractors/shapes-frame-v1.onnx
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from pyramid_bench_models.hashing import sha256_of  # noqa: E402

FEATURES = 64
FRAMES = 9
# clip heads after the motion kind's 2 logits: track (9 x 2), first velocity (2), frame-to-frame displacement (8 x 2)
CLIP_AUX = 2 + 2 * FRAMES + 2 + 2 * (FRAMES - 1)


def block2d(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def block3d(cin, cout, stride):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))


class FrameNet(nn.Module):
    """[N, 3, 32, 32] in [-1, 1] -> features [N, 64], class logits [N, 6], auxiliary [N, 4 + 3]."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(block2d(3, 32, 1), block2d(32, 32, 2), block2d(32, 64, 1), block2d(64, 64, 2), block2d(64, 96, 2), block2d(96, 128, 1))
        self.project = nn.Sequential(nn.Linear(128, FEATURES), nn.ReLU(inplace=True))
        self.classes = nn.Linear(FEATURES, 6)
        self.aux = nn.Linear(FEATURES, 4 + 3)

    def forward(self, x):
        f = self.project(self.body(x).mean(dim=(2, 3)))
        return f, self.classes(f), self.aux(f)


class ClipNet(nn.Module):
    """[N, 3, 9, 32, 32] in [-1, 1] -> features [N, 64], class logits [N, 6], auxiliary [N, 2 + 18 + 2 + 16].

    The first layer works at full resolution, as the frame net's does (a first layer that strides over space left
    mild noise invisible), and the last stage is pooled over space only, its 5 time steps kept apart into the
    projection, so the features say when in the clip something happens, not only that it does (a global pool over
    time ranked frozen frames out of order): docs/metrics-validation.md, "The clip network's versions"."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            block3d(3, 16, (1, 1, 1)),
            block3d(16, 32, (1, 2, 2)),
            block3d(32, 48, (1, 2, 2)),
            block3d(48, 64, (1, 1, 1)),
            block3d(64, 96, (2, 2, 2)),
            block3d(96, 128, (1, 1, 1)),
        )
        self.project = nn.Sequential(nn.Linear(128 * 5, FEATURES), nn.ReLU(inplace=True))
        self.classes = nn.Linear(FEATURES, 6)
        self.aux = nn.Linear(FEATURES, CLIP_AUX)

    def forward(self, x):
        f = self.project(self.body(x).mean(dim=(3, 4)).flatten(1))
        return f, self.classes(f), self.aux(f)


def load(path):
    d = np.load(path)
    videos = torch.from_numpy(d["videos"])
    if videos.dtype == torch.uint8:
        videos = videos.float() / 127.5 - 1
    size = videos.shape[-1]
    return dict(
        videos=videos[:, :, :FRAMES].contiguous(),
        labels=torch.from_numpy(d["labels"]).long(),
        motion=torch.from_numpy(d["motion"]).long(),
        background=torch.from_numpy(d["background"]).long(),
        radius=torch.from_numpy(d["radius"]).float() / size,
        velocity=torch.from_numpy(d["velocity"]).float() / 2,
        track=torch.from_numpy(d["track"][:, :FRAMES]).float() / size - 0.5,
    )


def augment(x, gen, noise):
    """Colour jitter (per clip gain and offset per channel) and, when `noise`, light Gaussian noise; clamped to [-1, 1]."""
    n = x.shape[0]
    shape = (n, 3) + (1,) * (x.dim() - 2)
    gain = 1 + 0.1 * (torch.rand(shape, generator=gen) - 0.5)
    offset = 0.1 * (torch.rand(shape, generator=gen) - 0.5)
    x = x * gain + offset
    if noise:
        sigma = 0.04 * torch.rand((n,) + (1,) * (x.dim() - 1), generator=gen)
        x = x + sigma * torch.randn(x.shape, generator=gen)
    return x.clamp(-1, 1)


def batch_of(net, data, idx, gen, train):
    v = data["videos"][idx]
    if net == "frame":
        t = torch.randint(0, FRAMES, (len(idx),), generator=gen) if train else torch.zeros(len(idx), dtype=torch.long)
        x = v[torch.arange(len(idx)), :, t]
        pos = data["track"][idx, t]
        aux = torch.cat([pos, data["radius"][idx, None]], dim=1)
        return x, dict(labels=data["labels"][idx], background=data["background"][idx], aux=aux)
    track = data["track"][idx]
    steps = (track[:, 1:] - track[:, :-1]) * 16  # pixels per frame / 2, as the velocity
    aux = torch.cat([track.reshape(len(idx), -1), data["velocity"][idx], steps.reshape(len(idx), -1)], dim=1)
    return v, dict(labels=data["labels"][idx], motion=data["motion"][idx], aux=aux)


def losses(net, out, target):
    _, logits, aux = out
    loss = F.cross_entropy(logits, target["labels"])
    if net == "frame":
        loss = loss + F.cross_entropy(aux[:, :4], target["background"]) + 10 * F.mse_loss(aux[:, 4:], target["aux"])
    else:
        loss = loss + F.cross_entropy(aux[:, :2], target["motion"]) + 10 * F.mse_loss(aux[:, 2:], target["aux"])
    return loss


@torch.no_grad()
def evaluate(net, model, data, gen):
    model.eval()
    correct = 0
    aux_correct = 0
    err = 0.0
    n = data["labels"].shape[0]
    for s in range(0, n, 256):
        idx = torch.arange(s, min(n, s + 256))
        x, target = batch_of(net, data, idx, gen, False)
        _, logits, aux = model(x)
        correct += (logits.argmax(1) == target["labels"]).sum().item()
        kind = target["background"] if net == "frame" else target["motion"]
        k = 4 if net == "frame" else 2
        aux_correct += (aux[:, :k].argmax(1) == kind).sum().item()
        err += ((aux[:, k:] - target["aux"]) ** 2).sum().item()
    model.train()
    dims = 3 if net == "frame" else CLIP_AUX - 2
    return dict(accuracy=correct / n, kindAccuracy=aux_correct / n, auxRmse=math.sqrt(err / (n * dims)))


def export(model, net, path):
    model.eval()

    class Wrapped(nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            f, logits, _ = self.inner(x)
            return f, logits

    shape = (1, 3, 32, 32) if net == "frame" else (1, 3, FRAMES, 32, 32)
    name = "frames" if net == "frame" else "clips"
    tmp = path + ".tmp"
    torch.onnx.export(
        Wrapped(model), torch.zeros(shape), tmp, input_names=[name], output_names=["features", "logits"],
        dynamic_axes={name: {0: "n"}, "features": {0: "n"}, "logits": {0: "n"}}, opset_version=17, do_constant_folding=True,
    )
    os.replace(tmp, path)
    return sha256_of(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--net", choices=["frame", "clip"], required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--out", required=True, help="the ONNX file to write")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    steps = a.steps or (2400 if a.net == "frame" else 2000)
    batch = a.batch or (128 if a.net == "frame" else 48)
    data, val = load(a.data), load(a.val)
    model = FrameNet() if a.net == "frame" else ClipNet()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.1)
    gen = torch.Generator().manual_seed(a.seed)
    n = data["labels"].shape[0]
    started = time.time()
    for step in range(1, steps + 1):
        idx = torch.randint(0, n, (batch,), generator=gen)
        x, target = batch_of(a.net, data, idx, gen, True)
        loss = losses(a.net, model(augment(x, gen, noise=a.net == "frame")), target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps:
            print(f"features[{a.net}] step {step}/{steps} loss {loss.item():.4f} {time.time() - started:.0f} s", flush=True)
    scores = evaluate(a.net, model, val, torch.Generator().manual_seed(1))
    seconds = time.time() - started
    sha = export(model, a.net, a.out)
    record = dict(net=a.net, steps=steps, batch=batch, lr=a.lr, seed=a.seed, seconds=round(seconds, 1), torch=torch.__version__, validation=scores, sha256=sha)
    with open(a.out.replace(".onnx", ".training.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    sys.exit(main())
