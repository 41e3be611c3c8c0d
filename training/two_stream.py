"""Composes the shapes clip network from two trained streams (training/features.py), as two-stream video networks
do (Simonyan & Zisserman, 2014): an appearance stream, the frame network applied to every frame and its 64
features averaged over the frames, and a motion stream, the 3D clip network's 64 features. The composite's
`features` are the two side by side (128: appearance first); its `logits` are the motion stream's class logits.

Why: the 3D network alone ranked every disturbance of time in order but did not see mild noise (sigma 0.05 and
0.1 left its distance at the floor, with or without noise augmentation and with a full-resolution first layer),
while the frame network sees it clearly; docs/metrics-validation.md, "The clip network's versions".

Both streams are rebuilt from their ONNX files (weights read by python/pyramid_bench_models/onnx_weights.py; the
exports folded BatchNorm into the convolutions), so the composite carries exactly the trained weights.

  /usr/bin/python3 training/two_stream.py --frame extractors/shapes-frame-v1.onnx --motion MOTION.onnx --out OUT.onnx
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from pyramid_bench_models.hashing import sha256_of  # noqa: E402
from pyramid_bench_models.onnx_weights import read_graph  # noqa: E402

# the architectures of training/features.py (FrameNet, ClipNet): conv strides, in order
FRAME_STRIDES = [1, 2, 1, 2, 2, 1]
MOTION_STRIDES = [(1, 1, 1), (1, 2, 2), (1, 2, 2), (1, 1, 1), (2, 2, 2), (1, 1, 1)]


def folded_layers(path, strides, conv):
    """The convolutions (BatchNorm folded in) and the projection of an exported network, in graph order."""
    g = read_graph(path)
    init = g["initializers"]
    convs = [n for n in g["nodes"] if n["op_type"] == "Conv"]
    gemms = [n for n in g["nodes"] if n["op_type"] == "Gemm"]
    if len(convs) != len(strides) or len(gemms) != 2:
        raise SystemExit(f"{path}: {len(convs)} convolutions and {len(gemms)} Gemm nodes; expected {len(strides)} and 2")
    layers = []
    for node, stride in zip(convs, strides):
        w, b = (torch.from_numpy(init[name].copy()) for name in node["input"][1:3])
        c = conv(w.shape[1], w.shape[0], w.shape[2], stride=stride, padding=1)
        c.weight.data.copy_(w)
        c.bias.data.copy_(b)
        layers += [c, nn.ReLU()]
    project, classes = [], []
    for node, out in zip(gemms, (project, classes)):
        w, b = (torch.from_numpy(init[name].copy()) for name in node["input"][1:3])
        lin = nn.Linear(w.shape[1], w.shape[0])
        lin.weight.data.copy_(w)
        lin.bias.data.copy_(b)
        out.append(lin)
    return nn.Sequential(*layers), project[0], classes[0]


class TwoStream(nn.Module):
    def __init__(self, frame_path, motion_path):
        super().__init__()
        self.frame_body, self.frame_project, _ = folded_layers(frame_path, FRAME_STRIDES, nn.Conv2d)
        self.motion_body, self.motion_project, self.motion_classes = folded_layers(motion_path, MOTION_STRIDES, nn.Conv3d)

    def forward(self, clips):
        n, c, t, h, w = clips.shape
        frames = clips.permute(0, 2, 1, 3, 4).reshape(n * t, c, h, w)
        appearance = torch.relu(self.frame_project(self.frame_body(frames).mean(dim=(2, 3)))).reshape(n, t, -1).mean(dim=1)
        motion = torch.relu(self.motion_project(self.motion_body(clips).mean(dim=(3, 4)).flatten(1)))
        return torch.cat([appearance, motion], dim=1), self.motion_classes(motion)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frame", required=True, help="the frame network's ONNX export")
    ap.add_argument("--motion", required=True, help="the 3D clip network's ONNX export")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    model = TwoStream(a.frame, a.motion).eval()
    tmp = a.out + ".tmp"
    with torch.no_grad():
        torch.onnx.export(
            model, torch.zeros(1, 3, 9, 32, 32), tmp, input_names=["clips"], output_names=["features", "logits"],
            dynamic_axes={"clips": {0: "n"}, "features": {0: "n"}, "logits": {0: "n"}}, opset_version=17, do_constant_folding=True,
        )
    os.replace(tmp, a.out)
    print(sha256_of(a.out))


if __name__ == "__main__":
    sys.exit(main())
