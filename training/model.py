"""A small diffusion transformer (DiT with adaLN-Zero, Peebles & Xie 2023) for pyramidal flow matching on
pixel-space video, exportable to ONNX with the pyramid-bench network contract (docs/model-format.md):

  inputs  x            float32 [B, C, F, h, w]   noisy current unit at the stage's resolution
          timestep     float32 [B]               network timestep (1000 = pure noise)
          label        int64   [B]               class, `classes` = the null class (guidance)
          x_frame0     int64   [1]               frame index of x's first frame
          x_level      int64   [1]               downsampling exponent of x (0 = full resolution)
          hist_<l>     float32 [B, C, F_l, H/2^l, W/2^l]  history frames at level l (l = 0..levels-1);
                                                 at least one frame, padding when the layout says 0
          hist_layout  int64   [levels, 2]       per level: first frame index, frame count (0 = unused)
          low_res      float32 [B, C, F, h, w]   (super-resolution stages only) the previous stage's output,
                                                 nearest-upsampled to x's size
  output  velocity     float32 [B, C, F, h, w]

Every token carries its frame index; attention is block-causal over frames (a token sees tokens of its own or
earlier frames; all tokens of the current unit see each other), with padded history frames masked out.
One network serves every stage: it is told the stage by the timestep and by x's level.
"""
import math

import torch
import torch.nn as nn


def sincos(values, dim, max_period=10000.0):
    """Sinusoidal features of a float tensor [...] -> [..., dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=values.device) / half)
    args = values.unsqueeze(-1).float() * freqs
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_ratio * dim), nn.GELU(approximate="tanh"), nn.Linear(mlp_ratio * dim, dim))
        self.ada = nn.Linear(dim, 6 * dim)
        nn.init.zeros_(self.ada.weight)
        nn.init.zeros_(self.ada.bias)

    def forward(self, x, c, bias):
        B, N, D = x.shape
        shift1, scale1, gate1, shift2, scale2, gate2 = self.ada(torch.nn.functional.silu(c)).unsqueeze(1).chunk(6, dim=-1)
        h = self.norm1(x) * (1 + scale1) + shift1
        q, k, v = self.qkv(h).reshape(B, N, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // self.heads)) + bias
        att = att.softmax(dim=-1)
        h = (att @ v).transpose(1, 2).reshape(B, N, D)
        x = x + gate1 * self.proj(h)
        h = self.norm2(x) * (1 + scale2) + shift2
        return x + gate2 * self.mlp(h)


class PyramidDiT(nn.Module):
    def __init__(self, channels=3, height=32, width=32, patch=4, dim=128, depth=6, heads=4, mlp_ratio=4, classes=6, levels=3, low_res_input=False, refine=0):
        super().__init__()
        self.channels, self.height, self.width, self.patch = channels, height, width, patch
        self.dim, self.depth, self.heads, self.mlp_ratio = dim, depth, heads, mlp_ratio
        self.classes, self.levels, self.low_res_input, self.refine = classes, levels, low_res_input, refine
        if refine:
            # a pixel-level refinement of the unpatchified output that also sees the noisy input: two 3x3
            # convolutions, the last zero-initialised, so the network starts as the plain DiT
            self.refine_in = nn.Conv2d(2 * channels, refine, 3, padding=1)
            self.refine_out = nn.Conv2d(refine, channels, 3, padding=1)
            nn.init.zeros_(self.refine_out.weight)
            nn.init.zeros_(self.refine_out.bias)
        in_ch = channels * (2 if low_res_input else 1)
        self.embed_x = nn.Conv2d(in_ch, dim, patch, patch)
        self.embed_hist = nn.Conv2d(channels, dim, patch, patch)
        self.level_embed = nn.Embedding(max(levels, 1), dim)
        self.role_embed = nn.Embedding(2, dim)  # 0 = history (clean), 1 = current (noisy)
        self.time_mlp = nn.Sequential(nn.Linear(256, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.class_embed = nn.Embedding(classes + 1, dim)
        self.blocks = nn.ModuleList([Block(dim, heads, mlp_ratio) for _ in range(depth)])
        self.final_norm = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-6)
        self.final_ada = nn.Linear(dim, 2 * dim)
        self.final = nn.Linear(dim, patch * patch * channels)
        nn.init.zeros_(self.final_ada.weight)
        nn.init.zeros_(self.final_ada.bias)
        nn.init.zeros_(self.final.weight)
        nn.init.zeros_(self.final.bias)

    def config(self):
        return dict(channels=self.channels, height=self.height, width=self.width, patch=self.patch, dim=self.dim, depth=self.depth, heads=self.heads,
                    mlp_ratio=self.mlp_ratio, classes=self.classes, levels=self.levels, low_res_input=self.low_res_input, refine=self.refine)

    def _tokens(self, frames_bcfhw, embed, level, frame0, role):
        """Patch-embed [B, C, F, h, w] and add position (full-resolution pixel centres), frame, level and role."""
        B, C, F, h, w = frames_bcfhw.shape
        p = self.patch
        t = embed(frames_bcfhw.permute(0, 2, 1, 3, 4).reshape(-1, C, h, w))  # [B*F, D, h/p, w/p]; -1 keeps F = 0 valid in ONNX
        gh, gw = t.shape[-2], t.shape[-1]
        t = t.permute(0, 2, 3, 1).reshape(B, -1, gh * gw, self.dim)
        dev = frames_bcfhw.device
        scale = torch.pow(torch.tensor(2.0, device=dev), level.float())  # pixels of full resolution per pixel at this level
        ys = (torch.arange(gh, device=dev).float() + 0.5) * p * scale
        xs = (torch.arange(gw, device=dev).float() + 0.5) * p * scale
        pos = torch.cat([sincos(ys / self.height * 64.0, self.dim // 2, 256.0).unsqueeze(1).expand(-1, gw, -1),
                         sincos(xs / self.width * 64.0, self.dim // 2, 256.0).unsqueeze(0).expand(gh, -1, -1)], dim=-1)
        frames = frame0 + torch.arange(F, device=dev)
        # position features are computed in float32 and added in the network's own dtype (bfloat16/float16 runs)
        t = t + pos.reshape(1, 1, gh * gw, self.dim).to(t.dtype) + sincos(frames.float(), self.dim, 1000.0).reshape(1, -1, 1, self.dim).to(t.dtype)
        t = t + self.level_embed(level).reshape(1, 1, 1, self.dim) + self.role_embed.weight[role].reshape(1, 1, 1, self.dim)
        frame_of_token = (frames.reshape(-1, 1) + torch.zeros(1, gh * gw, dtype=frames.dtype, device=dev)).reshape(-1)
        return t.reshape(B, -1, self.dim), frame_of_token, gh, gw

    def forward(self, x, timestep, label, x_frame0, x_level, hist, hist_layout, low_res=None):
        """`hist` is a list of `levels` tensors; see the module docstring for the contract."""
        B, C, F, h, w = x.shape
        inp = torch.cat([x, low_res], dim=1) if self.low_res_input else x
        cur, cur_frames, gh, gw = self._tokens(inp, self.embed_x, x_level.reshape(()), x_frame0.reshape(()), 1)
        tokens, causal, valid = [], [], []
        for level in range(self.levels):
            if hist[level].shape[2] == 0:
                continue  # training passes empty levels as 0 frames; exported graphs always get >= 1 (padding)
            first = hist_layout[level, 0]
            count = hist_layout[level, 1]
            t, frames, _, _ = self._tokens(hist[level], self.embed_hist, torch.tensor(level, device=x.device), first, 0)
            tokens.append(t)
            causal.append(frames.float())
            valid.append((frames - first) < count)
        n_cur = cur.shape[1]
        tokens.append(cur)
        causal.append(torch.zeros_like(cur_frames).float() + x_frame0.float())
        valid.append(cur_frames >= 0)
        seq = torch.cat(tokens, dim=1)
        c_key = torch.cat(causal)
        ok = torch.cat(valid)
        n = seq.shape[1]
        allowed = (c_key.reshape(1, n) <= c_key.reshape(n, 1)) & ok.reshape(1, n)
        index = torch.arange(n, device=x.device)
        allowed = allowed | (index.reshape(n, 1) == index.reshape(1, n))
        bias = torch.where(allowed, torch.tensor(0.0, device=x.device), torch.tensor(-1e9, device=x.device)).reshape(1, 1, n, n).to(seq.dtype)
        c = self.time_mlp(sincos(timestep, 256).to(seq.dtype)) + self.class_embed(label)
        for block in self.blocks:
            seq = block(seq, c, bias)
        out = seq[:, n - n_cur:]
        shift, scale = self.final_ada(torch.nn.functional.silu(c)).unsqueeze(1).chunk(2, dim=-1)
        out = self.final(self.final_norm(out) * (1 + scale) + shift)  # [B, F*gh*gw, p*p*C]
        p = self.patch
        out = out.reshape(B, F, gh, gw, p, p, C).permute(0, 6, 1, 2, 4, 3, 5).reshape(B, C, F, gh * p, gw * p)
        if self.refine:
            h_, w_ = gh * p, gw * p
            planes = torch.cat([out, x], dim=1).permute(0, 2, 1, 3, 4).reshape(-1, 2 * C, h_, w_)
            delta = self.refine_out(torch.nn.functional.silu(self.refine_in(planes)))
            out = out + delta.reshape(B, -1, C, h_, w_).permute(0, 2, 1, 3, 4)
        return out

    def parameter_count(self):
        return sum(p.numel() for p in self.parameters())
