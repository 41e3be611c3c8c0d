#!/usr/bin/env bash
# The whole recipe for the embedded default models: data set, training, export. CPU only (Debian's python3-torch).
# Each network trains for a fixed wall-clock budget (the same for the pyramid and the full-resolution model, split
# between the cascade's two networks), then its EMA weights are exported to checkpoints/.
#   training/recipe.sh            # everything (about 2 hours on 2 cores)
#   ROLES="pyramid" training/recipe.sh
# Re-running resumes unfinished trainings (state.pt) and skips finished ones.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
DATA=training/data/shapes-9x32-train.npz
RUNS=training/runs
ROLES=${ROLES:-"pyramid full cascade-base cascade-sr"}
MINUTES_PYRAMID=${MINUTES_PYRAMID:-40}
MINUTES_FULL=${MINUTES_FULL:-40}
MINUTES_BASE=${MINUTES_BASE:-12}
MINUTES_SR=${MINUTES_SR:-28}

mkdir -p training/data "$RUNS"
[ -f "$DATA" ] || npx pyramid-bench data shapes --n 8192 --frames 9 --size 32 --seed 1 --uint8 --out "$DATA"

train() { # role minutes batch snapshot-every
  local role=$1 minutes=$2 batch=$3 snap=$4
  if [ -f "$RUNS/$role/done" ]; then echo "recipe: $role already trained"; return; fi
  nice -n 5 $PY training/train.py --role "$role" --data "$DATA" --out "$RUNS/$role" --minutes "$minutes" --batch "$batch" --snapshot-every "$snap" --seed 0
  touch "$RUNS/$role/done"
}

for role in $ROLES; do
  case $role in
    pyramid) train pyramid "$MINUTES_PYRAMID" 48 500 ;;
    full) train full "$MINUTES_FULL" 24 0 ;;
    cascade-base) train cascade-base "$MINUTES_BASE" 48 0 ;;
    cascade-sr) train cascade-sr "$MINUTES_SR" 24 0 ;;
  esac
done
echo "recipe: training done; export with training/export-all.sh"
