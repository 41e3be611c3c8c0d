#!/usr/bin/python3
"""Reference vectors for test/features/resize.test.ts from Pillow (Debian's python3-pil; run with /usr/bin/python3).

Writes test/fixtures/pillow-resize.npz: for each case k, in{k} (uint8 H x W, seeded noise plus a gradient) and
out{k} = clean-fid's clean resize of it: Image.fromarray(x.astype(float32), mode='F').resize((w, h), BICUBIC),
then np.asarray(...).clip(0, 255) (clean-fid resize.py). Cases: up 24x32 -> 47x61, down 47x61 -> 13x17,
one axis 50x50 -> 50x30, and the FID case 40x40 -> 299x299 on a smaller input.
"""
import sys

import numpy as np
import PIL
from PIL import Image

rng = np.random.default_rng(299)
cases = [((24, 32), (47, 61)), ((47, 61), (13, 17)), ((50, 50), (50, 30)), ((40, 40), (299, 299))]
arrays = {"pillow_version": np.frombuffer(PIL.__version__.encode(), dtype=np.uint8)}
for k, ((h, w), (oh, ow)) in enumerate(cases):
    yy, xx = np.mgrid[0:h, 0:w]
    x = np.clip(rng.normal(128, 60, size=(h, w)) + 2 * xx - yy, 0, 255).astype(np.uint8)
    img = Image.fromarray(x.astype(np.float32), mode="F")
    out = np.asarray(img.resize((ow, oh), resample=Image.BICUBIC)).clip(0, 255)
    arrays[f"in{k}"] = x
    arrays[f"out{k}"] = out.astype(np.float32)
np.savez(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/pillow-resize.npz", **arrays)
