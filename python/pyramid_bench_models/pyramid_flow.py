"""The released Pyramid-Flow checkpoints on pyramid-bench's `torch:` engine (docs/model-format.md, "The official
Pyramid-Flow checkpoints").

Matches jy0205/Pyramid-Flow at commit 3040d71 (`pyramid_dit/pyramid_dit_for_video_gen_pipeline.py`: `generate`,
`generate_one_unit`, `decode_latent`). The official code is imported from the user's own clone, never copied:
the clone's folder comes from the component's torch config `repo` (written by make_pyramid_flow_package.py), or,
when the config has none, from the environment variable PYRAMID_FLOW_REPO. The weights are the package's own files
(`config.modelPath`, a folder inside the package laid out like the Hugging Face download), pinned by the manifest.

One factory, three roles:
- `pyramid`: the official DiT (`build_pyramid_dit`), called as `generate_one_unit` calls it:
  `dit(sample=[[history clips oldest first..., x]], timestep_ratio, encoder_hidden_states, encoder_attention_mask,
  pooled_projections)[0]`, the clips rebuilt from the harness's per-level history and its layout.
- `condition-encoder`: the official text encoders (`build_text_encoder`): a prompt becomes one [tokens, dim] text
  condition that packs the T5 embeddings, their attention mask and the pooled CLIP embedding (`pack_text`).
- `decoder`: the official causal video VAE, after undoing the latent scaling (the first latent frame with the
  image shift/scale, later frames with the video ones), decoded in temporal chunks as `decode_latent` does.
"""
import importlib
import math
import os
import sys

import torch

# Latent scaling of `PyramidDiTForVideoGeneration.__init__` (commit 3040d71): the image factors depend on the
# variant, the video factors do not. A latent is stored as (z - shift) * scale.
VARIANTS = {
    "sd3": {"model_name": "pyramid_mmdit", "image_shift": 0.1490, "image_scale": 1 / 1.8415},
    "miniflux": {"model_name": "pyramid_flux", "image_shift": -0.04, "image_scale": 1 / 1.8726},
}
VIDEO_SHIFT = -0.2343
VIDEO_SCALE = 1 / 3.0986
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def pack_text(prompt_embeds, attention_mask, pooled, layout):
    """Packs one prompt's text condition, laid out as torch config `textLayout` says (make_pyramid_flow_package.py
    `text_layout`): [L, D] T5 embeddings, [L] mask, [P] pooled -> [tokens, D]: rows 0..L-1 the embeddings, then the mask and the
    pooled embedding each flattened into whole rows, zero-padded."""
    L, D, P = layout["t5Tokens"], layout["dim"], layout["pooledDim"]
    out = torch.zeros(layout["tokens"], D, dtype=torch.float32)
    out[:L] = prompt_embeds.float()
    mask_rows = math.ceil(L / D)
    out[L:L + mask_rows].view(-1)[:L] = attention_mask.float()
    out[L + mask_rows:].view(-1)[:P] = pooled.float()
    return out


def unpack_text(text, layout):
    """[B, tokens, D] -> (prompt_embeds [B, L, D], attention_mask int64 [B, L], pooled [B, P]); inverse of pack_text."""
    L, D, P = layout["t5Tokens"], layout["dim"], layout["pooledDim"]
    if text.dim() != 3 or text.shape[1] != layout["tokens"] or text.shape[2] != D:
        raise ValueError(f"text condition has shape {list(text.shape)}; the package's layout is [B, {layout['tokens']}, {D}]")
    B = text.shape[0]
    mask_rows = math.ceil(L / D)
    embeds = text[:, :L]
    mask = text[:, L:L + mask_rows].reshape(B, -1)[:, :L].round().to(torch.int64)
    pooled = text[:, L + mask_rows:].reshape(B, -1)[:, :P]
    return embeds, mask, pooled


def official(config, submodule):
    """Imports `submodule` from the user's clone of jy0205/Pyramid-Flow (config `repo`, else $PYRAMID_FLOW_REPO)."""
    repo = config.get("repo") or os.environ.get("PYRAMID_FLOW_REPO")
    if not repo:
        raise ValueError("no Pyramid-Flow clone given: set torch config 'repo' in manifest.json or the environment variable PYRAMID_FLOW_REPO")
    repo = os.path.abspath(repo)
    if not os.path.isfile(os.path.join(repo, "pyramid_dit", "__init__.py")):
        raise ValueError(f"'{repo}' (the Pyramid-Flow clone) has no pyramid_dit/__init__.py; allowed: a clone of github.com/jy0205/Pyramid-Flow")
    if repo not in sys.path:
        sys.path.insert(0, repo)
    return importlib.import_module(submodule)


def variant_of(config):
    v = config.get("variant")
    if v not in VARIANTS:
        raise ValueError(f"torch config variant '{v}' is not allowed; allowed: {', '.join(VARIANTS)}")
    return VARIANTS[v]


def model_path(spec):
    """The package's weights folder (laid out like the Hugging Face download of rain1011/pyramid-flow-*)."""
    return os.path.join(spec["directory"], spec["config"].get("modelPath", "weights"))


class PyramidFlowVelocity(torch.nn.Module):
    """The harness's velocity call (docs/model-format.md, "The network contract") as the official DiT's call."""

    def __init__(self, dit, inputs, layout, frames_per_unit):
        super().__init__()
        self.dit = dit
        self.inputs = inputs
        self.layout = layout
        self.frames_per_unit = frames_per_unit

    def forward(self, **feeds):
        names = self.inputs
        x = feeds[names["x"]]
        # history: the harness gives one block per level; `generate` lists clips oldest first, and at stage 0 it
        # gives the newest unit as a clip of its own after the older frames at the same (lowest) resolution
        clips = []
        table = feeds[names["historyLayout"]].to("cpu")
        x_level = int(feeds[names["level"]].reshape(-1)[0])
        for level, name in enumerate(names.get("history", [])):
            h = feeds[name]
            first, count = int(table[level, 0]), int(table[level, 1])
            if count == 0:
                continue
            if level == x_level and count > self.frames_per_unit:
                split = count - self.frames_per_unit
                clips.append((first, h[:, :, :split]))
                clips.append((first + split, h[:, :, split:]))
            else:
                clips.append((first, h))
        clips.sort(key=lambda c: c[0])
        embeds, mask, pooled = unpack_text(feeds[names["text"]], self.layout)
        timestep = feeds[names["timestep"]].to(x.dtype)
        out = self.dit(
            sample=[[c for _, c in clips] + [x]],
            timestep_ratio=timestep,
            encoder_hidden_states=embeds.to(x.dtype),
            encoder_attention_mask=mask.to(x.device),
            pooled_projections=pooled.to(x.dtype),
        )
        return out[0]


class PyramidFlowTextEncoder(torch.nn.Module):
    """`encode(prompt)` -> the packed [tokens, dim] text condition, from the official text encoders."""

    def __init__(self, encoder, layout):
        super().__init__()
        self.encoder = encoder
        self.layout = layout

    def encode(self, prompt):
        device = next(self.encoder.parameters()).device
        embeds, mask, pooled = self.encoder(prompt, device)
        if embeds.shape[1] != self.layout["t5Tokens"] or embeds.shape[2] != self.layout["dim"] or pooled.shape[-1] != self.layout["pooledDim"]:
            raise ValueError(
                f"the text encoders returned embeddings {list(embeds.shape)} and pooled {list(pooled.shape)}; the package's layout is "
                f"[1, {self.layout['t5Tokens']}, {self.layout['dim']}] and [1, {self.layout['pooledDim']}]"
            )
        return pack_text(embeds[0].cpu(), mask[0].cpu(), pooled[0].cpu(), self.layout)


class PyramidFlowDecoder(torch.nn.Module):
    """Latents [B, 16, T, h, w] in the DiT's scaled space -> frames [B, 3, 8 (T - 1) + 1, 8h, 8w] in [-1, 1]
    (`decode_latent`: unscale, then `vae.decode(temporal_chunk=True, ...)`)."""

    def __init__(self, vae, image_shift, image_scale, save_memory):
        super().__init__()
        self.vae = vae
        self.image_shift, self.image_scale = image_shift, image_scale
        self.save_memory = save_memory

    def forward(self, latents):
        z = latents.clone()
        z[:, :, :1] = z[:, :, :1] / self.image_scale + self.image_shift
        z[:, :, 1:] = z[:, :, 1:] / VIDEO_SCALE + VIDEO_SHIFT
        window, tile = (1, 256) if self.save_memory else (2, 512)
        frames = self.vae.decode(z, temporal_chunk=True, window_size=window, tile_sample_min_size=tile).sample
        return frames.float().clamp(-1, 1)


def build(spec):
    """The factory the torch engine calls per role (pyramid, condition-encoder, decoder)."""
    config = spec["config"]
    v = variant_of(config)
    load_dtype = DTYPES[config.get("loadDtype", "float32")]
    path = model_path(spec)
    if spec["role"] == "pyramid":
        pipeline = official(config, "pyramid_dit.pyramid_dit_for_video_gen_pipeline")
        dit = pipeline.build_pyramid_dit(
            v["model_name"],
            os.path.join(path, config["ditVariant"]),
            load_dtype,
            use_flash_attn=False,
            use_mixed_training=False,
            interp_condition_pos=True,
            use_gradient_checkpointing=False,
            use_temporal_causal=True,
        )
        temporal = spec["package"]["temporal"]
        if temporal["mode"] != "autoregressive":
            raise ValueError(f"temporal mode '{temporal['mode']}' is not allowed; the released checkpoints are autoregressive")
        return PyramidFlowVelocity(dit, spec["network"]["inputs"], config["textLayout"], temporal.get("framesPerUnit", 1))
    if spec["role"] == "condition-encoder":
        pipeline = official(config, "pyramid_dit.pyramid_dit_for_video_gen_pipeline")
        encoder = pipeline.build_text_encoder(v["model_name"], path, load_dtype, load_text_encoder=True)
        return PyramidFlowTextEncoder(encoder, config["textLayout"])
    if spec["role"] == "decoder":
        vae_module = official(config, "video_vae.modeling_causal_vae")
        vae = vae_module.CausalVideoVAE.from_pretrained(os.path.join(path, "causal_video_vae"), torch_dtype=load_dtype, interpolate=False)
        return PyramidFlowDecoder(vae, v["image_shift"], v["image_scale"], config.get("saveMemory", True))
    raise ValueError(f"role '{spec['role']}' is not allowed; allowed: pyramid, condition-encoder, decoder")
