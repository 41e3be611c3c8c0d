#!/usr/bin/env python3
"""Golden values for test/vbench/frame-sampling.test.ts and test/vbench/dynamic-degree.test.ts.

Re-states, with NumPy and Python's own round(), VBench's frame bookkeeping (Vchitect/VBench 45e79ec):
get_frame_indices(num_frames, vlen, sample="middle") (vbench/utils.py:68-106), the dynamic-degree stride
max(1, round(fps / 8)) (vbench/dynamic_degree.py:99) and thresholds (:59-61), the static filter's thresholds
(static_filter.py:70-72), and the top-fraction cut int(h * w * fraction) (:42-56). Prints JSON.

    python3 scripts/reference/vbench_bookkeeping.py > test/fixtures/vbench-bookkeeping.json
"""
import json

import numpy as np


def middle_indices(num_frames, vlen):
    n = min(num_frames, vlen)
    bounds = np.linspace(start=0, stop=vlen, num=n + 1).astype(int)
    indices = [(int(bounds[i]) + int(bounds[i + 1]) - 1) // 2 for i in range(n)]
    if len(indices) < num_frames:
        indices = indices + [indices[-1]] * (num_frames - len(indices))
    return indices


middle = [{"numFrames": n, "videoLength": v, "indices": middle_indices(n, v)} for n in (3, 8, 16) for v in (*range(1, 50), 97, 121, 193, 250)]
fps = [{"fps": f, "interval": max(1, round(f / 8))} for f in (1, 4, 5, 7.5, 8, 10, 12, 12.5, 15, 20, 23.976, 24, 25, 28, 29.97, 30, 36, 44, 50, 60, 120)]
dynamic = [
    {"height": h, "width": w, "kept": n, "thres": 6.0 * (min(h, w) / 256.0), "countNum": round(4 * (n / 16.0))}
    for (h, w) in ((256, 256), (33, 65)) for n in range(1, 33)
]
static = [
    {"height": h, "width": w, "frames": t, "thres": 3.0 * (min(h, w) / 256.0), "countNum": round(2 * (t / 16.0))}
    for (h, w) in ((480, 720), (17, 40)) for t in range(1, 49)
]
cut = [{"height": h, "width": w, "fraction": f, "k": int(h * w * f)} for f in (0.05, 0.02) for (h, w) in ((256, 256), (264, 264), (480, 720), (20, 20), (17, 9), (4, 4), (720, 1280))]
print(json.dumps({"middle": middle, "fps": fps, "dynamic": dynamic, "static": static, "cut": cut}))
