#!/usr/bin/python3
"""Runs one network of a model package through its PyTorch factory (the manifest's `torch` section) on feeds
from an .npz and writes the velocities to an .npz; test/models/torch/shapes-weights.test.ts compares them with onnxruntime.

  /usr/bin/python3 python/pyramid_bench_models/selfcheck.py <package dir> <network file> <feeds.npz> <out.npz>

Feeds are named `<call>.<input name>` (one call per distinct prefix); the output has one array per call.
"""
import importlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pyramid_bench_models.hashing import sha256_of  # noqa: E402




def main():
    directory, file, feeds_path, out_path = sys.argv[1:5]
    directory = os.path.abspath(directory)
    with open(os.path.join(directory, "manifest.json")) as f:
        package = json.load(f)
    network = next((n for n in package["networks"] if n["file"] == file), None)
    if network is None:
        raise SystemExit(f"{directory}: no network with file {file}")
    if "torch" not in package or "torch" not in network:
        raise SystemExit(f"{directory}: the manifest has no torch section for {file}")
    weights = []
    for w in network["torch"]["weights"]:
        path = os.path.join(directory, w["file"])
        if sha256_of(path) != w["sha256"]:
            raise SystemExit(f"{path}: sha256 differs from the manifest's torch.weights entry")
        weights.append(path)
    factory = getattr(importlib.import_module(package["torch"]["module"]), package["torch"]["factory"])
    net = factory({"package": package, "directory": directory, "network": network, "weights": weights, "config": network["torch"].get("config", {})})
    feeds = np.load(feeds_path)
    calls = {}
    for key in feeds.files:
        call, name = key.split(".", 1)
        calls.setdefault(call, {})[name] = torch.from_numpy(feeds[key].copy())
    out = {}
    with torch.no_grad():
        for call, inputs in calls.items():
            out[call] = net(**inputs).numpy().astype(np.float32)
    np.savez(out_path, **out)


if __name__ == "__main__":
    main()
