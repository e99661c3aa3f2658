#!/usr/bin/env bash
# Prints the path of a data root of SCALE MB and SHAPE under bench/cache/, generating it once
# (under a temporary name, renamed when complete). Usage: bench/cached-root.sh SCALE [SHAPE]
#   default      gendata.py's mix (HAVEN_SHARED names the directory of tools/gendata.py)
#   small-files  many small files, 4 KB on average (bench/shape-root.py)
#   huge-files   four large media files (bench/shape-root.py)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scale="$1"
shape="${2:-default}"
root="$here/cache/root-$scale"
[[ $shape != default ]] && root="$here/cache/root-$shape-$scale"
if [[ ! -d "$root" ]]; then
  echo "bench: generating a $scale MB $shape data root in $root (once)..." >&2
  mkdir -p "$here/cache"
  rm -rf "$root.tmp"
  case "$shape" in
    default) python3 "${HAVEN_SHARED:-$here/../../shared}/tools/gendata.py" "$root.tmp" \
      --scale "$scale" >&2 ;;
    small-files|huge-files) python3 "$here/shape-root.py" "$shape" "$root.tmp" --scale "$scale" ;;
    *) echo "bench: unknown shape '$shape': default, small-files or huge-files" >&2; exit 2 ;;
  esac
  mv "$root.tmp" "$root"
fi
echo "$root"
