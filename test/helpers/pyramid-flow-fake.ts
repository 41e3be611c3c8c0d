/**
 * A stand-in for a clone of jy0205/Pyramid-Flow (commit 3040d71) and its downloaded weights, for testing
 * python/pyramid_bench_models/pyramid_flow.py without the official code or the real weights: modules and classes
 * of the official names with the official call signatures (`build_pyramid_dit`, `build_text_encoder`, the DiT's
 * `forward(sample, encoder_hidden_states, encoder_attention_mask, pooled_projections, timestep_ratio)`,
 * `CausalVideoVAE.from_pretrained(...).decode(...)`), backed by tiny random torch modules. Each checks the types
 * and shapes the official code would get and appends what it received to a JSON-lines log (the `log` key of every
 * config.json), so a test can compare it with what the official `generate` would pass.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PIPELINE = `"""Stand-in for pyramid_dit/pyramid_dit_for_video_gen_pipeline.py: the two builders, official signatures."""
import os

from .flux_modules import FluxTextEncoderWithMask, PyramidFluxTransformer
from .mmdit_modules import PyramidDiffusionMMDiT, SD3TextEncoderWithMask


def build_pyramid_dit(model_name, model_path, torch_dtype, use_flash_attn, use_mixed_training, interp_condition_pos=True,
                      use_gradient_checkpointing=False, use_temporal_causal=True, gradient_checkpointing_ratio=0.6):
    assert os.path.isfile(os.path.join(model_path, "config.json")), model_path
    assert use_temporal_causal and not use_flash_attn, "the official generate runs temporal-causal attention without flash attention"
    if model_name == "pyramid_flux":
        return PyramidFluxTransformer.from_pretrained(model_path, torch_dtype=torch_dtype)
    if model_name == "pyramid_mmdit":
        return PyramidDiffusionMMDiT.from_pretrained(model_path, torch_dtype=torch_dtype)
    raise NotImplementedError(model_name)


def build_text_encoder(model_name, model_path, torch_dtype, load_text_encoder=True):
    if model_name == "pyramid_flux":
        return FluxTextEncoderWithMask(model_path, torch_dtype=torch_dtype)
    if model_name == "pyramid_mmdit":
        return SD3TextEncoderWithMask(model_path, torch_dtype=torch_dtype)
    raise NotImplementedError(model_name)
`;

const COMMON = `"""Stand-ins for the official DiT and text encoders: tiny random modules that log what they receive."""
import json
import os
import zlib

import torch


def config_of(path):
    with open(os.path.join(path, "config.json")) as f:
        return json.load(f)


def log(path, entry):
    with open(path, "a") as f:
        f.write(json.dumps(entry) + "\\n")


class FakeDiT(torch.nn.Module):
    name = "?"

    def __init__(self, config):
        super().__init__()
        self.config_dict = config
        torch.manual_seed(0)
        self.mix = torch.nn.Parameter(torch.randn(16, 16) * 0.05)

    @classmethod
    def from_pretrained(cls, path, torch_dtype=None, **kwargs):
        return cls(config_of(path)).to(torch_dtype)

    def forward(self, sample, encoder_hidden_states=None, encoder_attention_mask=None, pooled_projections=None, timestep_ratio=None):
        # the official generate_one_unit passes sample=[past_conditions[stage] + [x]]: one list of clips, x last
        assert isinstance(sample, list) and len(sample) == 1 and isinstance(sample[0], list), type(sample)
        clips = sample[0]
        x = clips[-1]
        B = x.shape[0]
        assert all(c.dim() == 5 and c.shape[0] == B and c.shape[1] == 16 for c in clips), [list(c.shape) for c in clips]
        assert timestep_ratio.shape == (B,), list(timestep_ratio.shape)
        assert encoder_attention_mask.dtype == torch.int64 and encoder_attention_mask.shape == (B, 128), encoder_attention_mask.dtype
        assert encoder_hidden_states.shape[:2] == (B, 128), list(encoder_hidden_states.shape)
        assert pooled_projections.dim() == 2 and pooled_projections.shape[0] == B, list(pooled_projections.shape)
        log(self.config_dict["log"], {
            "kind": "dit", "dit": self.name,
            "clips": [{"shape": list(c.shape), "sum": [float(c[r].double().sum()) for r in range(B)],
                       "sumsq": [float((c[r].double() ** 2).sum()) for r in range(B)]} for c in clips[:-1]],
            "x": list(x.shape),
            "timestep": [float(t) for t in timestep_ratio],
            "text": [float(encoder_hidden_states[r].double().sum()) for r in range(B)],
            "mask": [int(encoder_attention_mask[r].sum()) for r in range(B)],
            "pooled": [float(pooled_projections[r].double().sum()) for r in range(B)],
        })
        v = torch.einsum("bcthw,cd->bdthw", x, self.mix) + 0.001 * timestep_ratio.view(B, 1, 1, 1, 1)
        return [v]


class FakeTextEncoder(torch.nn.Module):
    """prompt -> (T5 embeddings [b, 128, d_model], mask int64 [b, 128], pooled [b, P]), deterministic per prompt."""

    def __init__(self, model_path, t5, pooled_dim):
        super().__init__()
        self.log_path = config_of(os.path.join(model_path, t5))["log"]
        self.dim = config_of(os.path.join(model_path, t5))["d_model"]
        self.pooled_dim = pooled_dim
        self.anchor = torch.nn.Parameter(torch.zeros(1))

    def forward(self, input_prompts, device):
        prompts = [input_prompts] if isinstance(input_prompts, str) else input_prompts
        embeds, masks, pooled = [], [], []
        for p in prompts:
            g = torch.Generator().manual_seed(zlib.crc32(p.encode("utf8")))
            e = torch.randn(128, self.dim, generator=g)
            m = torch.zeros(128, dtype=torch.int64)
            m[: min(128, 1 + len(p.split()))] = 1
            q = torch.randn(self.pooled_dim, generator=g)
            log(self.log_path, {"kind": "encode", "prompt": p, "text": float(e.double().sum()), "mask": int(m.sum()), "pooled": float(q.double().sum())})
            embeds.append(e)
            masks.append(m)
            pooled.append(q)
        return torch.stack(embeds).to(device), torch.stack(masks).to(device), torch.stack(pooled).to(device)
`;

const MMDIT = `from ..fake_common import FakeDiT, FakeTextEncoder, config_of
import os


class PyramidDiffusionMMDiT(FakeDiT):
    name = "mmdit"


class SD3TextEncoderWithMask(FakeTextEncoder):
    def __init__(self, model_path, torch_dtype):
        pooled = sum(config_of(os.path.join(model_path, s))["projection_dim"] for s in ("text_encoder", "text_encoder_2"))
        super().__init__(model_path, "text_encoder_3", pooled)
`;

const FLUX = `from ..fake_common import FakeDiT, FakeTextEncoder, config_of
import os


class PyramidFluxTransformer(FakeDiT):
    name = "flux"


class FluxTextEncoderWithMask(FakeTextEncoder):
    def __init__(self, model_path, torch_dtype):
        super().__init__(model_path, "text_encoder_2", config_of(os.path.join(model_path, "text_encoder"))["hidden_size"])
`;

const VAE = `"""Stand-in for video_vae/modeling_causal_vae.py: logs the latents decode() gets; frames = tanh of 3 channels."""
import json
import os
from types import SimpleNamespace

import torch


class CausalVideoVAE(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config_dict = config
        self.anchor = torch.nn.Parameter(torch.zeros(1))

    @classmethod
    def from_pretrained(cls, path, torch_dtype=None, interpolate=True):
        assert interpolate is False, "the official pipeline loads the VAE with interpolate=False"
        with open(os.path.join(path, "config.json")) as f:
            return cls(json.load(f)).to(torch_dtype)

    def decode(self, z, is_init_image=True, temporal_chunk=False, return_dict=True, window_size=2, tile_sample_min_size=256):
        B, C, T = z.shape[:3]
        with open(self.config_dict["log"], "a") as f:
            f.write(json.dumps({"kind": "decode", "temporal_chunk": temporal_chunk, "window_size": window_size,
                                "tile_sample_min_size": tile_sample_min_size,
                                "frameSums": [[float(z[b, :, t].double().sum()) for t in range(T)] for b in range(B)]}) + "\\n")
        frames = torch.tanh(z[:, :3]).repeat_interleave(8, dim=2)[:, :, : 8 * (T - 1) + 1]
        return SimpleNamespace(sample=frames)
`;

/** The two released variants' stand-in folders. */
export type FakeVariant = 'sd3' | 'miniflux';

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Writes the stand-in clone into `repo`; returns it. */
export function writeFakePyramidFlowRepo(repo: string): string {
  write(
    path.join(repo, 'pyramid_dit', '__init__.py'),
    'from .pyramid_dit_for_video_gen_pipeline import build_pyramid_dit, build_text_encoder\n',
  );
  write(path.join(repo, 'pyramid_dit', 'pyramid_dit_for_video_gen_pipeline.py'), PIPELINE);
  write(path.join(repo, 'pyramid_dit', 'fake_common.py'), COMMON);
  write(
    path.join(repo, 'pyramid_dit', 'mmdit_modules', '__init__.py'),
    'from .modeling_pyramid_mmdit import PyramidDiffusionMMDiT, SD3TextEncoderWithMask\n',
  );
  write(path.join(repo, 'pyramid_dit', 'mmdit_modules', 'modeling_pyramid_mmdit.py'), MMDIT);
  write(
    path.join(repo, 'pyramid_dit', 'flux_modules', '__init__.py'),
    'from .modeling_pyramid_flux import PyramidFluxTransformer, FluxTextEncoderWithMask\n',
  );
  write(path.join(repo, 'pyramid_dit', 'flux_modules', 'modeling_pyramid_flux.py'), FLUX);
  write(path.join(repo, 'video_vae', '__init__.py'), '');
  write(path.join(repo, 'video_vae', 'modeling_causal_vae.py'), VAE);
  return repo;
}

/** A minimal valid .safetensors file: one float32 tensor of `shape`, zeros. */
function safetensors(shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  let header = JSON.stringify({ w: { dtype: 'F32', shape, data_offsets: [0, 4 * count] } });
  header += ' '.repeat((8 - (header.length % 8)) % 8);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([size, Buffer.from(header), Buffer.alloc(4 * count)]);
}

/**
 * Writes a stand-in of the downloaded rain1011/pyramid-flow-<variant> folder (the official layout, tiny files)
 * whose config.json files name `log`; returns it. The DiT's safetensors holds 6 x 7 = 42 parameters.
 */
export function writeFakePyramidFlowWeights(dir: string, variant: FakeVariant, log: string): string {
  const json = (file: string, value: object) => write(path.join(dir, file), `${JSON.stringify({ ...value, log })}\n`);
  const dit =
    variant === 'sd3'
      ? { num_layers: 2, attention_head_dim: 4, num_attention_heads: 2, patch_size: 2, in_channels: 16 }
      : { num_layers: 1, num_single_layers: 2, attention_head_dim: 4, num_attention_heads: 2, patch_size: 1, in_channels: 64 };
  json('diffusion_transformer_384p/config.json', dit);
  mkdirSync(path.join(dir, 'diffusion_transformer_384p'), { recursive: true });
  writeFileSync(path.join(dir, 'diffusion_transformer_384p', 'diffusion_pytorch_model.safetensors'), safetensors([6, 7]));
  json('causal_video_vae/config.json', { latent_channels: 16 });
  if (variant === 'sd3') {
    json('text_encoder/config.json', { projection_dim: 8 });
    json('text_encoder_2/config.json', { projection_dim: 12 });
    json('text_encoder_3/config.json', { d_model: 16 });
    for (const t of ['tokenizer', 'tokenizer_2', 'tokenizer_3']) json(`${t}/tokenizer_config.json`, {});
  } else {
    json('text_encoder/config.json', { hidden_size: 6 });
    json('text_encoder_2/config.json', { d_model: 16 });
    for (const t of ['tokenizer', 'tokenizer_2']) json(`${t}/tokenizer_config.json`, {});
  }
  return dir;
}
