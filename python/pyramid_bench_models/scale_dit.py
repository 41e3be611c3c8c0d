"""The scale model: a diffusion transformer with the dimensions of the released Pyramid-Flow checkpoints and random
weights drawn from a seed, so that time, throughput and memory at real size can be measured without the weights.
Its videos are noise: quality measured on it means nothing (docs/gpu.md).

The layout follows the official DiTs (jy0205/Pyramid-Flow, commit 3040d71, pyramid_dit/): video latents cut into
patch x patch tokens, condition tokens beside them, `joint_depth` MMDiT blocks (separate weights for the condition
and video streams, one joint attention; SD3 and FLUX double blocks) then `single_depth` blocks with shared
weights over the concatenated sequence (FLUX single blocks), MLP ratio 4, a timestep modulation, and attention
that is causal between frame blocks (history oldest first, then the current unit; condition tokens see and are
seen by everything), computed block by block so that it costs what the harness's FLOP model counts for
`attention: block-causal` (src/models/contract/cost-model.ts). The official code, with `use_temporal_causal`,
passes the causal mask to one dense attention call over the whole sequence (flux_modules/modeling_flux_block.py,
VarlenSelfAttentionWithT5Mask), which computes every pair: on calls with a long history the official DiT does
more attention work than this one. Positional encodings are a frame-index and a level embedding added to the
tokens; the official RoPE (elementwise on queries and keys, no matrix product) is left out.

Conditioning stands in for text: each label has `cond_tokens` learned tokens (the official T5 sequence is 128
tokens); the text encoders themselves are not part of the scale model and their time is not measured.

The factory takes its dimensions from the network's torch `config`:
  hidden, heads, joint_depth, single_depth, cond_tokens, seed (weights), and `low_res: true` for a cascade
  super-resolution stage (its low-resolution input is concatenated to x channel-wise before the patch embedding).
Channels, patch size and the number of labels come from the manifest. No weights file is read.
"""
import contextlib
import math

import torch
import torch.nn.functional as F

BANK = 1_000_003
CONFIG_KEYS = {"hidden", "heads", "joint_depth", "single_depth", "cond_tokens", "seed", "low_res"}


def _attention(q, k, v):
    """softmax(q k^T / sqrt(dh)) v over [B, heads, L, dh]; torch 2's fused kernel where it exists."""
    sdpa = getattr(F, "scaled_dot_product_attention", None)
    if sdpa is not None:
        return sdpa(q, k, v)
    w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1)
    return w @ v


def block_causal_attention(q, k, v, bounds):
    """Attention over [cond, block_0, ..., block_n] where `bounds` are the token offsets of the blocks' ends
    (bounds[0] = end of the condition tokens): condition queries see every key, block i's queries see the
    condition and blocks 0..i. One fused call per block, so masked pairs are never computed."""
    total = bounds[-1]
    outs = [_attention(q[:, :, : bounds[0]], k, v)]
    for start, end in zip(bounds[:-1], bounds[1:]):
        outs.append(_attention(q[:, :, start:end], k[:, :, :end], v[:, :, :end]))
    out = torch.cat(outs, dim=2)
    assert out.shape[2] == total
    return out


class Stream(torch.nn.Module):
    """One stream's weights of a transformer block: its timestep modulation (6 d wide for an MMDiT stream: shift,
    scale and gate before attention and before the MLP; 3 d for a FLUX single block, which uses one shift, scale
    and gate for both), norms, QKV, output projection, MLP (4x)."""

    def __init__(self, hidden, modulations):
        super().__init__()
        self.modulations = modulations
        self.modulation = torch.nn.Linear(hidden, modulations * hidden)
        self.norm1 = torch.nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
        self.qkv = torch.nn.Linear(hidden, 3 * hidden)
        self.proj = torch.nn.Linear(hidden, hidden)
        self.norm2 = torch.nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
        self.mlp_in = torch.nn.Linear(hidden, 4 * hidden)
        self.mlp_out = torch.nn.Linear(4 * hidden, hidden)

    def mods(self, t):
        """(shift, scale, gate) before attention and before the MLP, each [B, 1, d]."""
        m = self.modulation(F.silu(t))[:, None].chunk(self.modulations, dim=-1)
        return (m[0], m[1], m[2]), ((m[3], m[4], m[5]) if self.modulations == 6 else (m[0], m[1], m[2]))

    def qkv_of(self, h, mod):
        shift, scale, _ = mod
        return self.qkv(self.norm1(h) * (1 + scale) + shift)

    def attended(self, h, a, mod):
        return h + mod[2] * self.proj(a)

    def mlp(self, h, mod):
        shift, scale, gate = mod
        return h + gate * self.mlp_out(F.gelu(self.mlp_in(self.norm2(h) * (1 + scale) + shift), approximate="tanh"))


class Block(torch.nn.Module):
    """A joint block (two streams, condition and video, with their own weights; SD3 and FLUX double blocks) or a
    single block (one stream over the whole sequence; FLUX single blocks)."""

    def __init__(self, hidden, heads, joint):
        super().__init__()
        self.heads = heads
        self.video = Stream(hidden, 6 if joint else 3)
        self.cond = Stream(hidden, 6) if joint else None

    def forward(self, h, t, bounds):
        c = bounds[0]
        va, vm = self.video.mods(t)
        if self.cond is None:
            qkv = self.video.qkv_of(h, va)
        else:
            ca, cm = self.cond.mods(t)
            qkv = torch.cat([self.cond.qkv_of(h[:, :c], ca), self.video.qkv_of(h[:, c:], va)], dim=1)
        B, L, _ = qkv.shape
        q, k, v = qkv.view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = block_causal_attention(q, k, v, bounds).transpose(1, 2).reshape(B, L, -1)
        if self.cond is None:
            return self.video.mlp(self.video.attended(h, a, va), vm)
        hc = self.cond.attended(h[:, :c], a[:, :c], ca)
        hv = self.video.attended(h[:, c:], a[:, c:], va)
        return torch.cat([self.cond.mlp(hc, cm), self.video.mlp(hv, vm)], dim=1)


def _sinusoid(values, dim):
    """Sinusoidal embedding [N, dim] of float values (DiT's timestep embedding)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=values.device) / half)
    args = values.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ScaleDiT(torch.nn.Module):
    """The scale model's network: forward takes the network contract's inputs (docs/model-format.md) by the
    manifest's names (`names` maps role -> name) and returns the velocity of the current unit [B, C, F, h, w]."""

    def __init__(self, names, channels, patch, labels, hidden, heads, joint_depth, single_depth, cond_tokens, low_res):
        super().__init__()
        self.names = names
        self.channels, self.patch, self.hidden = channels, patch, hidden
        self.low_res = low_res
        in_dim = channels * patch * patch * (2 if low_res else 1)
        self.embed = torch.nn.Linear(in_dim, hidden)
        self.level_embed = torch.nn.Embedding(8, hidden)
        self.cond_tokens = torch.nn.Parameter(torch.zeros(labels + 1, cond_tokens, hidden))
        self.t_in = torch.nn.Linear(256, hidden)
        self.t_out = torch.nn.Linear(hidden, hidden)
        self.blocks = torch.nn.ModuleList(
            [Block(hidden, heads, joint=True) for _ in range(joint_depth)] + [Block(hidden, heads, joint=False) for _ in range(single_depth)]
        )
        self.norm_out = torch.nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
        self.head = torch.nn.Linear(hidden, channels * patch * patch)

    def _tokens(self, x, level, frame0):
        """[B, C', F, h, w] -> [B, F * h/p * w/p, hidden] with frame and level embeddings added."""
        B, C, T, H, W = x.shape
        p = self.patch
        if H % p or W % p:
            raise ValueError(f"scale model: frame size {H}x{W} is not divisible by the patch size {p}")
        t = x.reshape(B, C, T, H // p, p, W // p, p).permute(0, 2, 3, 5, 1, 4, 6).reshape(B, T, (H // p) * (W // p), C * p * p)
        tok = self.embed(t)
        frames = torch.arange(T, device=x.device) + int(frame0)
        tok = tok + _sinusoid(frames, self.hidden).to(tok.dtype)[None, :, None]
        tok = tok + self.level_embed.weight[int(level)].to(tok.dtype)
        return tok.reshape(B, -1, self.hidden)

    def forward(self, **feeds):
        n = self.names
        x = feeds[n["x"]]
        B, C, T, H, W = x.shape
        level = int(feeds[n["level"]].reshape(-1)[0]) if "level" in n else 0
        frame0 = int(feeds[n["frame0"]].reshape(-1)[0]) if "frame0" in n else 0
        inp = torch.cat([x, feeds[n["lowRes"]]], dim=1) if self.low_res else x
        # history blocks, oldest first, each nonempty level's frames one block; then the current unit
        blocks = []
        if "history" in n:
            layout = feeds[n["historyLayout"]].reshape(-1, 2).tolist()
            for lvl, name in enumerate(n["history"]):
                h = feeds[name]
                if h.shape[2] > 0:
                    blocks.append((int(layout[lvl][0]), h, lvl))
            blocks.sort(key=lambda b: b[0])
        tokens = [self._tokens(h, lvl, first) for first, h, lvl in blocks]
        current = self._tokens(inp, level, frame0)
        labels = feeds[n["label"]].long() if "label" in n else torch.zeros(B, dtype=torch.long, device=x.device)
        cond = self.cond_tokens[labels.clamp(0, self.cond_tokens.shape[0] - 1)].to(current.dtype)
        seq = torch.cat([cond] + tokens + [current], dim=1)
        bounds = [cond.shape[1]]
        for t in tokens + [current]:
            bounds.append(bounds[-1] + t.shape[1])
        temb = self.t_out(F.silu(self.t_in(_sinusoid(feeds[n["timestep"]].reshape(-1), 256).to(current.dtype))))
        for block in self.blocks:
            seq = block(seq, temb, bounds)
        out = self.head(self.norm_out(seq[:, bounds[-2] :]))
        p = self.patch
        out = out.reshape(B, T, H // p, W // p, C, p, p).permute(0, 4, 1, 2, 5, 3, 6).reshape(B, C, T, H, W)
        return out


def parameter_count(hidden, joint_depth, single_depth, cond_tokens, labels, channels, patch, low_res):
    """The ScaleDiT's parameter count in closed form (checked against the module in the tests)."""
    d = hidden
    stream = (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d)
    joint = 2 * (stream + d * 6 * d + 6 * d)
    single = stream + d * 3 * d + 3 * d
    in_dim = channels * patch * patch * (2 if low_res else 1)
    return (
        joint_depth * joint
        + single_depth * single
        + (in_dim * d + d)
        + 8 * d
        + (labels + 1) * cond_tokens * d
        + (256 * d + d)
        + (d * d + d)
        + (d * channels * patch * patch + channels * patch * patch)
    )


@contextlib.contextmanager
def _uninitialised():
    """Builds modules without their default initialisation (the factory overwrites every parameter; Linear's
    kaiming init of 2e9 weights alone takes tens of seconds on a CPU)."""
    classes = (torch.nn.Linear, torch.nn.Embedding)
    saved = [c.reset_parameters for c in classes]
    try:
        for c in classes:
            c.reset_parameters = lambda self: None
        yield
    finally:
        for c, r in zip(classes, saved):
            c.reset_parameters = r


def build(spec):
    """The worker's factory: one ScaleDiT per network, weights N(0, 0.02^2) from `config.seed` (biases 0),
    output head scaled down so velocities stay O(1). Drawing 2e9 normals on the CPU takes tens of seconds per
    network, so each weight tensor is a window of a bank of BANK normals (a prime count, drawn once per seed) at
    a seeded offset: the values are as random as the speed measurements need, and loading stays a few seconds."""
    if spec["role"] in ("decoder", "condition-encoder"):
        raise ValueError(f"scale model: no {spec['role']}; the scale packages generate latents only")
    config = spec["config"]
    unknown = sorted(set(config) - CONFIG_KEYS)
    if unknown:
        raise ValueError(f"scale model: unknown config keys {unknown} in network '{spec['role']}'; allowed: {sorted(CONFIG_KEYS)}")
    package = spec["package"]
    hidden, heads = int(config["hidden"]), int(config["heads"])
    if hidden % heads:
        raise ValueError(f"scale model: hidden {hidden} is not divisible by heads {heads}")
    conditioning = package["conditioning"]
    labels = int(conditioning.get("classes", 1)) if conditioning["kind"] == "class" else 1
    generator = torch.Generator().manual_seed(int(config.get("seed", 0)))
    bank = torch.randn(BANK, generator=generator) * 0.02
    with torch.no_grad(), _uninitialised():
        model = ScaleDiT(
            names=spec["network"]["inputs"],
            channels=int(package["sample"]["channels"]),
            patch=int(package["patchSize"]),
            labels=labels,
            hidden=hidden,
            heads=heads,
            joint_depth=int(config["joint_depth"]),
            single_depth=int(config.get("single_depth", 0)),
            cond_tokens=int(config["cond_tokens"]),
            low_res=bool(config.get("low_res", False)),
        )
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            else:
                n = p.numel()
                offset = int(torch.randint(BANK, (1,), generator=generator))
                p.copy_(bank.roll(-offset).repeat(-(-n // BANK))[:n].view(p.shape))
        model.head.weight.mul_(0.1)
    return model
