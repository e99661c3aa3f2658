#!/usr/bin/env bash
# Prints the path of a tools/gendata.py data root of SCALE MB (and SHAPE: default, small-files or
# huge-files) under bench/cache/, generating it once (under a temporary name, renamed when
# complete). Usage: bench/cached-root.sh SCALE [SHAPE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scale="$1"
shape="${2:-default}"
root="$here/cache/root-$scale"
[[ $shape == default ]] || root="$root-$shape"
if [[ ! -d "$root" ]]; then
  echo "bench: generating a $scale MB $shape data root in $root (once)..." >&2
  mkdir -p "$here/cache"
  rm -rf "$root.tmp"
  "$here/../tools/gendata.py" "$root.tmp" --scale "$scale" --shape "$shape" >&2
  mv "$root.tmp" "$root"
fi
echo "$root"
