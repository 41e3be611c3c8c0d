#!/usr/bin/env bash
# The whole recipe for the embedded default models: data set, training, export. CPU only (Debian's python3-torch).
# Each network trains for a fixed number of optimiser steps, chosen so that each method gets about 40 minutes on 2
# uncontended cores (the pyramid's steps are cheaper than the full-resolution model's: that is the paper's point,
# so it gets more of them in the same time); then training/export-all.sh exports the EMA weights to checkpoints/.
#   training/recipe.sh            # everything (about 2 hours on 2 cores)
#   ROLES="pyramid" training/recipe.sh
# Re-running resumes unfinished trainings (state.pt) and skips finished ones.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
DATA=training/data/shapes-9x32-train.npz
RUNS=training/runs
ROLES=${ROLES:-"pyramid full cascade-base cascade-sr"}
STEPS_PYRAMID=${STEPS_PYRAMID:-4000}
STEPS_FULL=${STEPS_FULL:-1000}
STEPS_BASE=${STEPS_BASE:-1200}
STEPS_SR=${STEPS_SR:-750}

mkdir -p training/data "$RUNS"
[ -f "$DATA" ] || npx pyramid-bench data shapes --n 8192 --frames 9 --size 32 --seed 1 --uint8 --out "$DATA"

train() { # role steps batch snapshot-every
  local role=$1 steps=$2 batch=$3 snap=$4
  if [ -f "$RUNS/$role/done" ]; then echo "recipe: $role already trained"; return; fi
  nice -n 5 $PY training/train.py --role "$role" --data "$DATA" --out "$RUNS/$role" --steps "$steps" --minutes 100000 --batch "$batch" --snapshot-every "$snap" --seed 0
  touch "$RUNS/$role/done"
}

for role in $ROLES; do
  case $role in
    pyramid) train pyramid "$STEPS_PYRAMID" 48 500 ;;
    full) train full "$STEPS_FULL" 24 0 ;;
    cascade-base) train cascade-base "$STEPS_BASE" 48 0 ;;
    cascade-sr) train cascade-sr "$STEPS_SR" 24 0 ;;
  esac
done
echo "recipe: training done; export with training/export-all.sh"
