"""Training objectives (what the networks regress), written from `../shared/docs/pyramid-flow.md` section 3 and
Pyramid-Flow's `add_pyramid_noise_with_temporal_pyramid` (commit 3040d71):

- pyramid: one network for all stages; per example a stage k, a current unit and a ratio index i. With the clean
  clip taken down to every level, one noise tensor n_k at stage k's resolution shared by both ends:
    start = n_0 (stage 0) or startSigma_k n_k + (1 - startSigma_k) Up(y_(k-1));
    end   = endSigma_k n_k + (1 - endSigma_k) y_k (y_(K-1) for the last stage);
    x_r = r start + (1 - r) end, r = 1 - i / 1000; target = start - end.
  The history (earlier frames laid out by the temporal pyramid) is corrupted with sigma ~ U[0, 1/3).
- full: x_r = r n + (1 - r) y over all frames jointly; target n - y.
- super-resolution: the same plain flow at the stage's resolution, given the clean lower-resolution clip.
"""
import torch

from common import T_TRAIN, down2, down_n, history_layout, stage_windows, training_ratio_and_timestep, up_nearest, video_units

CORRUPT_RATIO = 1 / 3


def unit_noise(g, shape, level):
    """Full-resolution noise for the unit taken down `level` times as noise (2x2 means times 2)."""
    n = torch.randn(shape, generator=g)
    for _ in range(level):
        n = down2(n) * 2
    return n


def pack_history(clean_levels, layout, levels, g, corrupt):
    """History inputs per level (oldest first within a level) from the layout. Empty levels get 0 frames (the
    network skips them; exported networks receive them the same way)."""
    B, C = clean_levels[0].shape[:2]
    hist, meta = [], []
    for level in range(levels):
        parts = [(first, count) for (stage, first, count) in layout if levels - 1 - stage == level]
        if parts:
            first = parts[0][0]
            count = sum(c for _, c in parts)
            frames = clean_levels[level][:, :, first:first + count]
            if corrupt:
                sigma = torch.rand(B, 1, 1, 1, 1, generator=g) * CORRUPT_RATIO
                frames = sigma * torch.randn(frames.shape, generator=g) + (1 - sigma) * frames
            hist.append(frames)
            meta.append([first, count])
        else:
            h, w = clean_levels[level].shape[-2:]
            hist.append(torch.zeros(B, C, 0, h, w))
            meta.append([0, 0])
    return hist, torch.tensor(meta, dtype=torch.int64)


def pyramid_example(videos, stage, unit, g, windows, fpu=1, corrupt=True):
    """One training group: every clip in `videos` [B, C, T, H, W] at the same stage and unit."""
    K = len(windows)
    w = windows[stage]
    level = w["level"]
    B, C, T, H, W = videos.shape
    units = video_units(T, fpu)
    first, frames = units[unit]
    clean = [down_n(videos, l) for l in range(K)]
    y_k = clean[level][:, :, first:first + frames]
    n_k = unit_noise(g, (B, C, frames, H, W), level)
    if stage == 0:
        start = n_k
    else:
        up = up_nearest(clean[level + 1][:, :, first:first + frames])
        start = w["start"] * n_k + (1 - w["start"]) * up
    end = y_k if stage == K - 1 else w["end"] * n_k + (1 - w["end"]) * y_k
    idx = torch.randint(0, T_TRAIN, (B,), generator=g)
    ratios = torch.tensor([training_ratio_and_timestep(w, int(i))[0] for i in idx], dtype=torch.float32)
    timesteps = torch.tensor([training_ratio_and_timestep(w, int(i))[1] for i in idx], dtype=torch.float32)
    r = ratios.reshape(B, 1, 1, 1, 1)
    x = r * start + (1 - r) * end
    layout = history_layout(unit, stage, first, fpu)
    hist, hist_layout = pack_history(clean, layout, K, g, corrupt)
    return dict(x=x, timestep=timesteps, x_frame0=torch.tensor([first]), x_level=torch.tensor([level]), hist=hist, hist_layout=hist_layout, target=start - end)


def plain_example(videos, g, low_res_levels=0):
    """Plain flow over all frames; with `low_res_levels`, also the clean clip taken down that many levels and
    nearest-upsampled back (the super-resolution condition)."""
    B = videos.shape[0]
    n = torch.randn(videos.shape, generator=g)
    idx = torch.randint(0, T_TRAIN, (B,), generator=g)
    ratios = 1.0 - idx.float() / T_TRAIN
    r = ratios.reshape(B, 1, 1, 1, 1)
    x = r * n + (1 - r) * videos
    out = dict(x=x, timestep=ratios * T_TRAIN, target=n - videos)
    if low_res_levels:
        out["low_res"] = up_nearest(down_n(videos, low_res_levels), low_res_levels)
    return out


__all__ = ["pyramid_example", "plain_example", "pack_history", "stage_windows"]
