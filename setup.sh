#!/usr/bin/env bash
# Installs what pyramid-bench needs on a fresh Debian machine: the system packages (only those missing), then
# the npm dependencies from package-lock.json, then builds dist/ (the CLI and the typed package). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

# canvas (for chartjs-node-canvas) builds from source against cairo/pango; ffmpeg reads and writes videos;
# Debian's NumPy/SciPy/Pillow make reference vectors; OpenBLAS/LAPACKE serve the fast linear algebra (the
# Fréchet distance's addon, built below); Slurm and munge serve `npm run test:slurm` (scripts/test-slurm.sh starts
# its own daemons in a temporary folder and needs no service: slurmctld and slurmd are not started without
# /etc/slurm/slurm.conf, their init scripts and units skip it with exit 0, and a container's policy-rc.d denies
# the starts with exit 0; Debian's munge service, where it starts, uses its own socket and is left alone).
packages=(
  build-essential pkg-config python3
  libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev libpixman-1-dev
  ffmpeg python3-numpy python3-scipy python3-pil python3-torch chromium
  libopenblas-dev liblapacke-dev
  slurmctld slurmd slurm-client munge
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
echo "setup: npm run build (the CLI and the package run from dist/)"
npm run build
echo "setup: building the OpenBLAS/LAPACKE addon (optional; the TypeScript fallback is used without it)"
bash scripts/build-native.sh
echo "setup: done"
