#!/usr/bin/env bash
# Builds native/linalg.c, the optional OpenBLAS/LAPACKE addon for the Fréchet distance, into
# build/native/linalg.node. Needs a C compiler, Node's headers and Debian's libopenblas-dev and liblapacke-dev
# (./setup.sh installs them). When it cannot build, it says why and exits 0: the metrics then run on the
# TypeScript fallback (slower at d = 2048, same numbers within 1e-9 relative).
set -uo pipefail
cd "$(dirname "$0")/.."

out=build/native/linalg.node
node_include=$(node -p "require('path').join(process.execPath, '..', '..', 'include', 'node')")
for dir in "$node_include" /usr/include/node /usr/local/include/node; do
  if [ -f "$dir/node_api.h" ]; then include=$dir; break; fi
done
if [ -z "${include:-}" ]; then
  echo "build-native: Node's headers (node_api.h) not found; the Fréchet distance uses the TypeScript fallback"
  exit 0
fi
openblas_include=/usr/include/x86_64-linux-gnu/openblas-pthread
[ -d "$openblas_include" ] || openblas_include=$(dirname "$(find /usr/include -name cblas.h -print -quit 2>/dev/null)")
mkdir -p build/native
tmp=$(mktemp "build/native/.linalg.XXXXXX.node")
if cc -O2 -fPIC -shared -std=c11 -Wall -DNODE_GYP_MODULE_NAME=linalg -I"$include" -I"$openblas_include" \
    native/linalg.c -o "$tmp" -llapacke -lopenblas 2>build/native/build.log; then
  mv "$tmp" "$out"
  echo "build-native: built $out"
else
  rm -f "$tmp"
  echo "build-native: could not build the OpenBLAS addon (see build/native/build.log); the Fréchet distance uses the TypeScript fallback"
  cat build/native/build.log
fi
exit 0
