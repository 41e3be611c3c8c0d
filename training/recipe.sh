#!/usr/bin/env bash
# The whole recipe for the embedded default models: data set, training, export. CPU only (Debian's python3-torch).
# Each method trains for about the same compute, about 40 TFLOPs (forward + backward, by the harness's cost model;
# train.py logs the running total): the pyramid 4000 steps of 48 examples (its examples are cheap: most are at
# low resolution with a compressed history), the full-resolution model 525 steps of 24 (every example is 9 frames
# at full resolution), the cascade 430 base steps of 48 and 390 super-resolution steps of 24. Then
# training/export-all.sh exports the EMA weights to checkpoints/.
#   training/recipe.sh            # everything (about 1.5 hours on 2 cores: pyramid 40 min, full 22, cascade 23)
#   ROLES="pyramid" training/recipe.sh
# Re-running resumes unfinished trainings (state.pt) and skips finished ones.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
DATA=training/data/shapes-9x32-train.npz
RUNS=training/runs
ROLES=${ROLES:-"pyramid full cascade-base cascade-sr"}
STEPS_PYRAMID=${STEPS_PYRAMID:-4000}
STEPS_FULL=${STEPS_FULL:-525}
STEPS_BASE=${STEPS_BASE:-430}
STEPS_SR=${STEPS_SR:-390}

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
