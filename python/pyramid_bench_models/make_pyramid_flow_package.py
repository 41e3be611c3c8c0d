"""Writes a pyramid-bench model package for a released Pyramid-Flow checkpoint (docs/model-format.md, "The official
Pyramid-Flow checkpoints"), to run as `torch:<out>` with python/pyramid_bench_models/pyramid_flow.py.

  python3 make_pyramid_flow_package.py --repo <clone of jy0205/Pyramid-Flow> --weights <downloaded folder>
      --variant sd3|miniflux [--resolution 384p|768p] [--frames 16] --out <folder> [--copy]

The weights files the package needs (the DiT of the chosen resolution, the causal VAE, the text encoders and
tokenizers) are hard-linked into <out>/weights/ (the harness refuses symbolic links), or copied with --copy, and
each is pinned by its sha256. The manifest carries the official inference settings (3 stages, gamma 1/3, the
temporal pyramid with 1 frame per unit, steps [20, 20, 20] / [10, 10, 10], guidance 7 / 5, the official negative
prompt) and the FLOP model's dimensions read from the DiT's config.json. Needs only the Python standard library.
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pyramid_bench_models.hashing import sha256_of  # noqa: E402

NEGATIVE_PROMPT = (
    "cartoon style, worst quality, low quality, blurry, absolute black, absolute white, low res, extra limbs, extra digits, "
    "misplaced objects, mutated anatomy, monochrome, horror"
)
T5_TOKENS = 128  # max_sequence_length of the official T5 encoders (both variants)
RESOLUTIONS = {"384p": (384, 640), "768p": (768, 1280)}
TEXT_PARTS = {
    "sd3": ["text_encoder", "text_encoder_2", "text_encoder_3", "tokenizer", "tokenizer_2", "tokenizer_3"],
    "miniflux": ["text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2"],
}


class Refused(Exception):
    pass




def read_json(path, what):
    if not os.path.isfile(path):
        raise Refused(f"{what}: {path} is missing")
    with open(path, encoding="utf8") as f:
        return json.load(f)


def files_under(root, sub):
    folder = os.path.join(root, sub)
    if not os.path.isdir(folder):
        raise Refused(f"--weights {root}: folder {sub}/ is missing (is this the download of the right variant?)")
    out = []
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                out.append(os.path.relpath(os.path.join(base, name), root))
    return out


def safetensors_parameters(path):
    """Number of values in a .safetensors file, read from its JSON header."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return sum(math.prod(t["shape"]) for k, t in header.items() if k != "__metadata__")


def place(src, dst, copy):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.exists(dst):
        os.remove(dst)
    if copy:
        shutil.copyfile(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError as e:
        raise Refused(f"cannot hard-link {src} into {dst} ({e.strerror}); put --out on the same file system as --weights, or pass --copy")


def text_layout(t5_tokens, t5_dim, pooled_dim):
    """Rows of the packed text condition [tokens, dim] (pyramid_flow.pack_text): the T5 embeddings, then the
    attention mask and the pooled CLIP embedding, each flattened into whole rows of the T5 width."""
    mask_rows = math.ceil(t5_tokens / t5_dim)
    pooled_rows = math.ceil(pooled_dim / t5_dim)
    return {"t5Tokens": t5_tokens, "dim": t5_dim, "pooledDim": pooled_dim, "tokens": t5_tokens + mask_rows + pooled_rows}


def cost_of(variant, dit_config, parameters):
    """The FLOP model's dimensions (src/models/contract/cost-model.ts) from the official DiT's config.json."""
    heads, head_dim = dit_config["num_attention_heads"], dit_config["attention_head_dim"]
    hidden = heads * head_dim
    latent_channels = 16
    patch = 2  # the MMDiT's patch_size; PyramidFluxTransformer hard-codes 2x2 packing of the 16 latent channels
    if variant == "sd3":
        depth = dit_config["num_layers"]
    else:
        depth = dit_config["num_layers"] + dit_config["num_single_layers"]
    per_token = latent_channels * patch * patch
    return {
        "parameters": parameters,
        "hidden": hidden,
        "depth": depth,
        "mlpRatio": 4,
        "conditionTokens": T5_TOKENS,
        "attention": "block-causal",
        "inputFlopsPerToken": 2 * per_token * hidden,
        "outputFlopsPerToken": 2 * hidden * per_token,
    }, patch


def repo_commit(repo):
    try:
        r = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def make(args):
    repo = os.path.abspath(args.repo)
    if not os.path.isfile(os.path.join(repo, "pyramid_dit", "pyramid_dit_for_video_gen_pipeline.py")):
        raise Refused(f"--repo {args.repo}: no pyramid_dit/pyramid_dit_for_video_gen_pipeline.py there; allowed: a clone of github.com/jy0205/Pyramid-Flow")
    weights = os.path.abspath(args.weights)
    if not os.path.isdir(weights):
        raise Refused(f"--weights {args.weights}: no such folder; allowed: the folder snapshot_download('rain1011/pyramid-flow-{args.variant}') wrote")
    if args.frames < 1:
        raise Refused(f"--frames {args.frames}: allowed: a positive number of latent frames (16: 5 s, 31: 10 s at 24 fps)")
    dit_folder = f"diffusion_transformer_{args.resolution}"
    dit_config = read_json(os.path.join(weights, dit_folder, "config.json"), f"--weights {args.weights}")
    parts = {
        "pyramid": files_under(weights, dit_folder),
        "decoder": files_under(weights, "causal_video_vae"),
        "condition-encoder": [f for sub in TEXT_PARTS[args.variant] for f in files_under(weights, sub)],
    }
    # the packed text condition: T5 embeddings (d_model wide), its mask, the pooled CLIP embedding
    if args.variant == "sd3":
        t5 = read_json(os.path.join(weights, "text_encoder_3", "config.json"), "T5 encoder")
        pooled = sum(read_json(os.path.join(weights, s, "config.json"), "CLIP encoder")["projection_dim"] for s in ("text_encoder", "text_encoder_2"))
    else:
        t5 = read_json(os.path.join(weights, "text_encoder_2", "config.json"), "T5 encoder")
        pooled = read_json(os.path.join(weights, "text_encoder", "config.json"), "CLIP encoder")["hidden_size"]
    layout = text_layout(T5_TOKENS, t5["d_model"], pooled)

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    pinned = {}
    for role, files in parts.items():
        pinned[role] = []
        for rel in files:
            place(os.path.join(weights, rel), os.path.join(out, "weights", rel), args.copy)
            pinned[role].append({"file": f"weights/{rel}", "sha256": sha256_of(os.path.join(out, "weights", rel))})
    parameters = sum(safetensors_parameters(os.path.join(weights, f)) for f in parts["pyramid"] if f.endswith(".safetensors"))
    cost, patch = cost_of(args.variant, dit_config, parameters)
    height, width = (s // 8 for s in RESOLUTIONS[args.resolution])
    config = {"variant": args.variant, "repo": repo, "modelPath": "weights", "ditVariant": dit_folder, "textLayout": layout, "loadDtype": args.load_dtype}
    manifest = {
        "format": "pyramid-bench/model-package",
        "version": 1,
        "name": f"pyramid-flow-{args.variant}-{args.resolution}",
        "description": f"the released Pyramid-Flow {args.variant} checkpoint ({dit_folder}) from jy0205/Pyramid-Flow, run by pyramid_bench_models.pyramid_flow",
        "kind": "pyramid",
        "sample": {"space": "latent", "channels": 16, "frames": args.frames, "height": height, "width": width, "fps": 24},
        "conditioning": {"kind": "text", "tokens": layout["tokens"], "dim": layout["dim"], "negativePrompt": NEGATIVE_PROMPT},
        "pyramid": {"stages": 3, "stageRange": [0, 1 / 3, 2 / 3, 1], "gamma": 1 / 3, "shift": 1, "trainTimesteps": 1000},
        "temporal": {"mode": "autoregressive", "framesPerUnit": 1},
        "networks": [
            {
                "role": "pyramid",
                "torch": {"weights": pinned["pyramid"], "config": config},
                "height": height,
                "width": width,
                "inputs": {
                    "x": "x",
                    "timestep": "timestep",
                    "text": "text",
                    "frame0": "frame0",
                    "level": "level",
                    "history": ["hist_0", "hist_1", "hist_2"],
                    "historyLayout": "hist_layout",
                },
                "output": "velocity",
            }
        ],
        "patchSize": patch,
        "cost": cost,
        "defaults": {"guidance": {"firstFrame": 7, "video": 5}, "stepsPerStage": [20, 20, 20], "videoStepsPerStage": [10, 10, 10]},
        "torch": {
            "module": "pyramid_bench_models.pyramid_flow",
            "factory": "build",
            "decoder": {"weights": pinned["decoder"], "config": config, "fps": 24},
            "conditionEncoder": {"weights": pinned["condition-encoder"], "config": config},
        },
        "training": {
            "source": "released checkpoint, not trained by pyramid-bench",
            "officialRepo": repo,
            "officialCommit": repo_commit(repo),
            "weights": f"rain1011/pyramid-flow-{args.variant} ({dit_folder})",
        },
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repo", required=True, help="a clone of github.com/jy0205/Pyramid-Flow")
    p.add_argument("--weights", required=True, help="the downloaded rain1011/pyramid-flow-<variant> folder")
    p.add_argument("--variant", required=True, choices=["miniflux", "sd3"])
    p.add_argument("--resolution", default="384p", choices=sorted(RESOLUTIONS))
    p.add_argument("--frames", type=int, default=16, help="latent frames (16: 5 s, 31: 10 s at 24 fps)")
    p.add_argument("--out", required=True, help="the package folder to write")
    p.add_argument("--copy", action="store_true", help="copy the weights instead of hard-linking them")
    p.add_argument("--load-dtype", default="float32", choices=["float32", "bfloat16"], help="dtype the factory loads the weights in")
    args = p.parse_args(argv)
    try:
        print(make(args))
    except Refused as e:
        print(f"make_pyramid_flow_package: {e}", file=sys.stderr)
        return 2
    return 0

if __name__ == "__main__":
    sys.exit(main())
