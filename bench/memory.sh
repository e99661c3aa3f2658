#!/usr/bin/env bash
# Bounded memory on a large data root: Haven backs up and restores a generated root (default
# 4096 MB) in a JVM with a 64 MB heap, then checks the restored tree against the source.
# Prints wall time, MB/s, archive size and peak RSS (/usr/bin/time -v) of each run.
#
# usage: bench/memory.sh [--scale MB] [--heap SIZE]
#   --scale MB   size of the generated data root (default 4096); cached under bench/cache/
#   --heap SIZE  the JVM's -Xmx (default 64m)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
scale=4096
heap=64m
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    *) echo "usage: bench/memory.sh [--scale MB] [--heap SIZE]" >&2; exit 2 ;;
  esac
done
root=$("$here/cached-root.sh" "$scale")
work="$here/cache/memory"
rm -rf "$work"
mkdir -p "$work/backup" "$work/restored"
"$repo/haven" --version >/dev/null
printf 'compression_workers: 2\n' >"$work/haven.yaml"
export HAVEN_CONFIG="$work/haven.yaml" HAVEN_JAVA_OPTS="-Xmx$heap" HAVEN_BACKUP_DIR="$work/backup"
mib=$(( $(du -sb --apparent-size "$root" | cut -f1) / 1048576 ))

run() { # NAME DATA_ROOT ARGS...
  local name="$1" data="$2"; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  HAVEN_DATA_ROOT="$data" /usr/bin/time -v -o "$work/time.txt" "$repo/haven" "$@" \
    >"$work/out.txt" 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  t1=$(date +%s.%N)
  local secs rss
  secs=$(echo "$t1 - $t0" | bc -l)
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$work/time.txt")
  printf '| %s | %.1f | %.0f | %s |\n' "$name" "$secs" "$(echo "$mib / $secs" | bc -l)" "$rss"
}

echo "Data: gendata.py --scale $scale ($mib MiB in $(find "$root" -type f | wc -l) files); -Xmx$heap."
echo
echo "| Run | Wall s | MB/s | Peak RSS MiB |"
echo "|---|---:|---:|---:|"
run "backup, zstd" "$root" backups new --filename b.tar
slug=$(tail -n 1 "$work/out.txt")
run "restore, zstd" "$work/restored" backups restore "$slug"
echo
echo "Archive: $(( $(stat -c %s "$work/backup/b.tar") / 1048576 )) MiB."
# The restored root equals the source, but for what Home Assistant's excludes leave out (tts/,
# logs, __pycache__, the database's -shm); the database itself is compared by its rows, since a
# copy made through SQLite's backup API has a header of its own.
db=config/home-assistant_v2.db
if diff -r --no-dereference -x tts -x '*.log' -x __pycache__ -x '*.db-shm' \
    -x 'home-assistant_v2.db*' "$root" "$work/restored" >"$work/diff.txt" 2>&1 \
  && python3 - "$root/$db" "$work/restored/$db" <<'PY'
import sqlite3, sys
def rows(path):
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert c.execute("pragma integrity_check").fetchone()[0] == "ok", path
    tables = [t for (t,) in c.execute("select name from sqlite_master where type='table'")]
    return {t: c.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
sys.exit(0 if rows(sys.argv[1]) == rows(sys.argv[2]) else 1)
PY
then
  echo "Restored tree: identical to the source (diff -r; the database by integrity check and rows)."
else
  echo "Restored tree DIFFERS from the source:" >&2
  head -n 20 "$work/diff.txt" >&2
  exit 1
fi
rm -rf "$work"
