#!/usr/bin/env bash
# Exports the trained networks of training/recipe.sh into checkpoints/: the pyramidal model at its final step and
# two earlier snapshots (for checkpoint comparison), the full-resolution model, and the cascade.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
RUNS=training/runs
note() { # role -> JSON with the training log's last line
  local role=$1
  local last
  last=$(tail -1 "$RUNS/$role/log.jsonl" 2>/dev/null || echo '{}')
  echo "{\"data\": \"pyramid-bench data shapes --n 8192 --frames 9 --size 32 --seed 1\", \"recipe\": \"training/recipe.sh\", \"last\": $last}"
}
final_of() { ls "$RUNS/$1"/ema-*.pt | sed 's/.*ema-\([0-9]*\).pt/\1/' | sort -n | tail -1; }

p_final=$(final_of pyramid)
$PY training/export.py --kind pyramid --ckpt "$RUNS/pyramid/ema-$p_final.pt" --out checkpoints/shapes-pyramid --name shapes-pyramid --training-note "$(note pyramid)"
for step in 1000 2000; do
  if [ -f "$RUNS/pyramid/ema-$step.pt" ]; then
    $PY training/export.py --kind pyramid --ckpt "$RUNS/pyramid/ema-$step.pt" --out "checkpoints/shapes-pyramid-step$step" --name "shapes-pyramid-step$step" --training-note "$(note pyramid)"
  fi
done
$PY training/export.py --kind full --ckpt "$RUNS/full/ema-$(final_of full).pt" --out checkpoints/shapes-full --name shapes-full --steps 10,10,10 --training-note "$(note full)"
$PY training/export.py --kind cascade --ckpt "$RUNS/cascade-base/ema-$(final_of cascade-base).pt" --ckpt "$RUNS/cascade-sr/ema-$(final_of cascade-sr).pt" --out checkpoints/shapes-cascade --name shapes-cascade --steps 15,15 --training-note "$(note cascade-sr)"
ls -la checkpoints/*
