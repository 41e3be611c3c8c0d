#!/usr/bin/env bash
# Exports the trained networks of training/recipe.sh into checkpoints/: the pyramidal model at its final step and
# two earlier snapshots (for checkpoint comparison), the full-resolution model, and the cascade. Each manifest's
# `training` section records the steps, the estimated training FLOPs and the recipe.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
RUNS=training/runs
final_of() { ls "$RUNS/$1"/ema-*.pt | sed 's/.*ema-\([0-9]*\).pt/\1/' | sort -n | tail -1; }
flops_of() { # checkpoint -> training FLOPs (recorded, else estimated)
  $PY -c "import torch,sys; v=torch.load(sys.argv[1]).get('train_flops'); print(f'{v:.6e}' if v else '')" "$1" | grep . || $PY training/estimate_flops.py "$1"
}
note() { # checkpoint... -> training note JSON
  local total=0 f
  for c in "$@"; do f=$(flops_of "$c"); total=$($PY -c "print($total + $f)"); done
  echo "{\"data\": \"pyramid-bench data shapes --n 8192 --frames 9 --size 32 --seed 1 --uint8\", \"recipe\": \"training/recipe.sh\", \"trainFlops\": $total}"
}

p_final=$(final_of pyramid)
$PY training/export.py --kind pyramid --ckpt "$RUNS/pyramid/ema-$p_final.pt" --out checkpoints/shapes-pyramid --name shapes-pyramid --training-note "$(note "$RUNS/pyramid/ema-$p_final.pt")"
for step in 1000 2000; do
  c="$RUNS/pyramid/ema-$step.pt"
  [ -f "$c" ] && $PY training/export.py --kind pyramid --ckpt "$c" --out "checkpoints/shapes-pyramid-step$step" --name "shapes-pyramid-step$step" --training-note "$(note "$c")"
done
f="$RUNS/full/ema-$(final_of full).pt"
$PY training/export.py --kind full --ckpt "$f" --out checkpoints/shapes-full --name shapes-full --steps 10,10,10 --training-note "$(note "$f")"
b="$RUNS/cascade-base/ema-$(final_of cascade-base).pt"
s="$RUNS/cascade-sr/ema-$(final_of cascade-sr).pt"
$PY training/export.py --kind cascade --ckpt "$b" --ckpt "$s" --out checkpoints/shapes-cascade --name shapes-cascade --steps 15,15 --training-note "$(note "$b" "$s")"
du -sh checkpoints/*
