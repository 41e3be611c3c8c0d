#!/usr/bin/env bash
# One prepared command for a GPU machine with Python 3 + PyTorch 2.x + CUDA but no Node and no network
# (docs/gpu.md): runs the throughput suite on the scale model and writes its results to the folder given.
#
#   scripts/gpu-check.sh [--mini] <out-folder>
#
#   - Node: `node` on PATH, else the binary scripts/gpu-pack.sh packed (build/gpu-pack/node.xz, unpacked to a
#     temporary folder and checked against node.sha256); the harness: dist/ and node_modules/ of the tree, else
#     build/gpu-pack/runtime.tar.xz unpacked into the tree. Unpacking uses xz when present, else Python's lzma.
#   - Python: $PYRAMID_BENCH_PYTHON, else python3 on PATH; it must import torch.
#   - Suite: suites/gpu-throughput.yaml (SD3-sized scale model, bfloat16 on CUDA, 384p and 768p latents) when
#     torch sees a CUDA device; suites/gpu-throughput-mini.yaml (tiny model on the CPU) with --mini or without
#     CUDA. Sized to finish in under 8 minutes on one recent GPU; stopped after $GPU_CHECK_TIMEOUT seconds
#     (default 470), and a rerun with the same folder resumes from what was stored.
#   - Writes into <out-folder>: results.json, results.md, manifest.json (the harness's run files),
#     gpu-summary.md/.json (planned FLOPs against measured time per stage, GPU-hours per 1000 videos, peak
#     memory), environment.txt (GPU, driver, torch), run.log. The scale model's weights are random: the figures
#     are speed and memory only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACK="$ROOT/build/gpu-pack"
MINI=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mini) MINI=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "gpu-check.sh: unknown option '$1'; allowed: --mini, then the output folder" >&2; exit 2 ;;
    *) if [ -n "$OUT" ]; then echo "gpu-check.sh: one output folder expected, got '$OUT' and '$1'" >&2; exit 2; fi; OUT="$1"; shift ;;
  esac
done
if [ -z "$OUT" ]; then echo "usage: scripts/gpu-check.sh [--mini] <out-folder>" >&2; exit 2; fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
START=$(date +%s)

PYTHON="${PYRAMID_BENCH_PYTHON:-$(command -v python3 || true)}"
if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "gpu-check.sh: no Python that imports torch (PYRAMID_BENCH_PYTHON='${PYRAMID_BENCH_PYTHON:-}', python3 on PATH: '${PYTHON}')" >&2
  exit 1
fi
export PYRAMID_BENCH_PYTHON="$PYTHON"

unxz_to() { # unxz_to <file.xz> <destination>
  if command -v xz >/dev/null; then xz -dc "$1" > "$2"
  else "$PYTHON" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}

NODE="$(command -v node || true)"
if [ -z "$NODE" ]; then
  if [ ! -f "$PACK/node.xz" ]; then
    echo "gpu-check.sh: no node on PATH and no $PACK/node.xz; run scripts/gpu-pack.sh where Node and npm are, and carry build/gpu-pack/" >&2
    exit 1
  fi
  NODE_DIR="${TMPDIR:-/tmp}/pyramid-bench-node-$(cat "$PACK/node.sha256" | cut -c1-12)"
  if [ ! -x "$NODE_DIR/node" ]; then
    mkdir -p "$NODE_DIR"
    unxz_to "$PACK/node.xz" "$NODE_DIR/node.tmp"
    got=$("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$NODE_DIR/node.tmp")
    if [ "$got" != "$(cat "$PACK/node.sha256")" ]; then
      echo "gpu-check.sh: $PACK/node.xz unpacks to sha256 $got, expected $(cat "$PACK/node.sha256") (node.sha256); pack it again" >&2
      exit 1
    fi
    chmod +x "$NODE_DIR/node.tmp" && mv "$NODE_DIR/node.tmp" "$NODE_DIR/node"
  fi
  NODE="$NODE_DIR/node"
fi

if [ ! -f "$ROOT/dist/cli.js" ] || [ ! -d "$ROOT/node_modules/zod" ]; then
  if [ ! -f "$PACK/runtime.tar.xz" ]; then
    echo "gpu-check.sh: the harness is not built here (dist/, node_modules/) and there is no $PACK/runtime.tar.xz; run scripts/gpu-pack.sh and carry build/gpu-pack/" >&2
    exit 1
  fi
  "$PYTHON" -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2], **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))' "$PACK/runtime.tar.xz" "$ROOT"
fi

CUDA=$("$PYTHON" -c 'import torch; print(1 if torch.cuda.is_available() else 0)')
SUITE=suites/gpu-throughput.yaml
if [ "$MINI" = 1 ] || [ "$CUDA" = 0 ]; then
  [ "$MINI" = 1 ] || echo "gpu-check.sh: torch sees no CUDA device; running the CPU miniature (suites/gpu-throughput-mini.yaml)" >&2
  SUITE=suites/gpu-throughput-mini.yaml
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "suite: $SUITE"
  echo "node: $("$NODE" --version) ($NODE)"
  "$PYTHON" -c 'import sys, torch; print("python:", sys.version.split()[0], sys.executable); print("torch:", torch.__version__, "cuda", torch.version.cuda); [print("gpu %d:" % i, torch.cuda.get_device_name(i), "%.1f GiB" % (torch.cuda.get_device_properties(i).total_memory / 2**30)) for i in range(torch.cuda.device_count())]'
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
} > "$OUT/environment.txt" 2>&1

cd "$ROOT"
set +e
timeout "${GPU_CHECK_TIMEOUT:-470}" "$NODE" bin/pyramid-bench.js run "$SUITE" --out "$OUT" --no-report 2>&1 | tee "$OUT/run.log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 124 ]; then
  echo "gpu-check.sh: stopped after ${GPU_CHECK_TIMEOUT:-470} s; run the same command again to resume from what $OUT stored" >&2
  exit "$rc"
elif [ "$rc" != 0 ]; then
  echo "gpu-check.sh: the run failed (exit $rc); see $OUT/run.log" >&2
  exit "$rc"
fi
"$NODE" scripts/gpu-summary.mjs "$OUT" > /dev/null
echo "gpu-check.sh: $SUITE done in $(( $(date +%s) - START )) s; wrote $OUT/results.json, results.md, gpu-summary.md, environment.txt"
