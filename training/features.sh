#!/usr/bin/env bash
# The recipe for the moving-shapes domain feature networks (training/features.py, training/two_stream.py): data,
# training, export to extractors/shapes-{frame,clip}-v1.onnx, and the sha256 pins in their manifests. CPU only (Debian's
# python3-torch); the committed networks took 1104 s (frame) and 686 s (clip motion stream) of training on
# 2 shared cores; each network's
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
threads_of() { case $1 in frame) echo 2 ;; clip) echo 2 ;; esac; }
for net in $NETS; do
  start=$(date +%s)
  out=extractors/shapes-$net-v1.onnx
  if [ "$net" = clip ]; then
    # the clip network is two streams (training/two_stream.py): the frame network per frame (appearance) beside the
    # 3D network trained here (motion); the frame network must exist first
    mkdir -p training/runs/features
    motion=training/runs/features/shapes-clip-motion.onnx
    $PY training/features.py --net clip --data "$TRAIN" --val "$VAL" --out "$motion" --threads "$(threads_of clip)"
    $PY training/two_stream.py --frame extractors/shapes-frame-v1.onnx --motion "$motion" --out "$out"
    PYTHONPATH=python $PY - "$motion" "$out" <<'PYEOF'
import json, sys
from pyramid_bench_models.hashing import sha256_of as sha
motion, out = sys.argv[1], sys.argv[2]
record = json.load(open(motion.replace(".onnx", ".training.json")))
record["motionStream"] = record.pop("sha256")
record["appearanceStream"] = sha("extractors/shapes-frame-v1.onnx")
record["sha256"] = sha(out)
record["composition"] = "training/two_stream.py: frame network averaged over frames (64) beside the motion stream (64)"
json.dump(record, open(out.replace(".onnx", ".training.json"), "w"), indent=2)
PYEOF
  else
    $PY training/features.py --net "$net" --data "$TRAIN" --val "$VAL" --out "$out" --threads "$(threads_of "$net")"
  fi
  sha=$(sha256sum "$out" | cut -d' ' -f1)
  sed -i "s/^sha256: .*/sha256: $sha/" "extractors/shapes-$net-v1.yaml"
  echo "features: $net trained and exported in $(($(date +%s) - start)) s, sha256 $sha"
done
