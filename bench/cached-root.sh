#!/usr/bin/env bash
# Prints the path of a gendata.py data root of SCALE MB under bench/cache/, generating it once
# (under a temporary name, renamed when complete). Usage: bench/cached-root.sh SCALE
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scale="$1"
root="$here/cache/root-$scale"
if [[ ! -d "$root" ]]; then
  echo "bench: generating a $scale MB data root in $root (once)..." >&2
  mkdir -p "$here/cache"
  rm -rf "$root.tmp"
  python3 "${HAVEN_SHARED:-$here/../../shared}/tools/gendata.py" "$root.tmp" --scale "$scale" >&2
  mv "$root.tmp" "$root"
fi
echo "$root"
