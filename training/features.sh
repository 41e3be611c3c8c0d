#!/usr/bin/env bash
# The recipe for the moving-shapes domain feature networks (training/features.py): data, training, export to
# extractors/shapes-{frame,clip}-v1.onnx, and the sha256 pins in their manifests. CPU only (Debian's
# python3-torch); about 10 minutes on 2 idle cores; each network's
# extractors/shapes-<net>-v1.training.json records its steps, time and validation scores.
#   training/features.sh            # both networks
#   NETS=clip training/features.sh  # one
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
NETS=${NETS:-"frame clip"}
TRAIN=training/data/features-train.npz
VAL=training/data/features-val.npz
mkdir -p training/data
# seeds 2 and 3: apart from the generative models' training set (seed 1) and the suites' references (1000003)
[ -f "$TRAIN" ] || npx pyramid-bench data shapes --n 12000 --frames 9 --size 32 --seed 2 --uint8 --out "$TRAIN"
[ -f "$VAL" ] || npx pyramid-bench data shapes --n 1200 --frames 9 --size 32 --seed 3 --uint8 --out "$VAL"
# the committed networks were trained with these thread counts (a different count changes the float sums' order)
threads_of() { case $1 in frame) echo 2 ;; clip) echo 1 ;; esac; }
for net in $NETS; do
  out=extractors/shapes-$net-v1.onnx
  start=$(date +%s)
  $PY training/features.py --net "$net" --data "$TRAIN" --val "$VAL" --out "$out" --threads "$(threads_of "$net")"
  sha=$(sha256sum "$out" | cut -d' ' -f1)
  sed -i "s/^sha256: .*/sha256: $sha/" "extractors/shapes-$net-v1.yaml"
  echo "features: $net trained and exported in $(($(date +%s) - start)) s, sha256 $sha"
done
