#!/usr/bin/env bash
# Side-by-side benchmark: Haven's backup and restore against tar|zstd, tar|gzip and a Home
# Assistant-like Python pipeline, on the same generated data root, on this machine.
#
# usage: bench/run.sh [--scale MB] [--cold]
#   --scale MB  size of the generated data root (default 1024); cached under bench/cache/
#   --cold      drop the page cache before every run (needs root); default: warm it instead
#
# Page cache: by default every run starts after the same warm-up read of its input (the data
# tree for a backup, the archive for a restore), so all runs read from memory and the table
# compares the pipelines' CPU cost. With --cold each run starts after `sync; echo 3 >
# /proc/sys/vm/drop_caches`, which measures the disk too (and slows everyone else on the machine).
# Peak RSS is the largest single process of the run (getrusage of the children), as
# /usr/bin/time -v reports it. Haven's time includes the JVM's start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
scale=1024
cold=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --cold) cold=1; shift ;;
    *) echo "usage: bench/run.sh [--scale MB] [--cold]" >&2; exit 2 ;;
  esac
done
for tool in tar zstd gzip python3 java /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install it)" >&2; exit 1; }
done

cache="$here/cache"
root=$("$here/cached-root.sh" "$scale")
work="$cache/work"
rm -rf "$work"
mkdir -p "$work"
echo "bench: building Haven's jar..." >&2
"$repo/haven" --version >/dev/null

load=$(cut -d' ' -f1-3 /proc/loadavg)
src_bytes=$(du -sb --apparent-size "$root" | cut -f1)
export HAVEN_CONFIG="$work/haven.yaml"
printf 'compression_workers: 2\n' >"$HAVEN_CONFIG"
password=bench-password-1

warm() { # the same treatment of the page cache before every run
  if [[ $cold == 1 ]]; then
    sync
    echo 3 >/proc/sys/vm/drop_caches
  else
    for p in "$@"; do
      if [[ -d $p ]]; then tar -cf - -C "$p" . >/dev/null; else cat "$p" >/dev/null; fi
    done
  fi
}

declare -a rows=()
declare -A seconds=()
# measure NAME ARCHIVE WARM_PATH COMMAND: runs COMMAND (a bash string) once after warm-up,
# with the dirty pages of earlier runs written out first so that no run pays for another's.
measure() {
  local name="$1" archive="$2" warm_path="$3" cmd="$4"
  sync
  warm "$warm_path"
  local t0 t1 secs rss size
  t0=$(date +%s.%N)
  if ! /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" >"$work/out.txt" 2>"$work/err.txt"; then
    echo "bench: '$name' failed:" >&2
    cat "$work/err.txt" "$work/out.txt" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc -l)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  size="-"
  [[ -n $archive && -f $archive ]] && size=$(stat -c %s "$archive")
  seconds[$name]=$secs
  rows+=("$name;$secs;$size;$rss")
  printf 'bench: %-40s %7.2f s\n' "$name" "$secs" >&2
}

# the archive name Haven gave the newest backup in $1
slug_of() { tail -n 1 "$work/out.txt"; }

fresh() { rm -rf "$1"; mkdir -p "$1"; }

haven="$repo/haven"
run_haven() { # NAME DIR JAVA_OPTS ARGS...: a backup into DIR, then a restore of it
  local name="$1" dir="$2" opts="$3"; shift 3
  fresh "$work/$dir"
  measure "Haven backup $name" "$work/$dir/b.tar" "$root" \
    "HAVEN_JAVA_OPTS='$opts' HAVEN_DATA_ROOT='$root' HAVEN_BACKUP_DIR='$work/$dir' $haven backups new --filename b.tar $*"
  local slug archive="$work/$dir/b.tar"
  slug=$(slug_of)
  local pw=""
  [[ "$*" == *--password* ]] && pw="--password $password"
  fresh "$work/restore-$dir"
  measure "Haven restore $name" "" "$archive" \
    "HAVEN_JAVA_OPTS='$opts' HAVEN_DATA_ROOT='$work/restore-$dir' HAVEN_BACKUP_DIR='$work/$dir' $haven backups restore $slug $pw"
  rm -rf "$work/restore-$dir"
}

# Every run ends with its output on disk, as Haven's own runs do (it forces the archive, and a
# restore syncs the file system before the swap): the references end with `sync FILE` (fsync) or
# `sync -f DIR` (syncfs). The plain tar|zstd rows without it are shown for comparison.
measure "tar | zstd -1 -T1 (no sync)" "" "$root" \
  "tar -cf - -C '$root' . | zstd -q -1 -T1 >'$work/ref.tar.zst'"
measure "tar | zstd -1 -T1" "$work/ref.tar.zst" "$root" \
  "tar -cf - -C '$root' . | zstd -q -1 -T1 >'$work/ref.tar.zst' && sync '$work/ref.tar.zst'"
fresh "$work/x"
measure "zstd -d | tar -x (no sync)" "" "$work/ref.tar.zst" \
  "zstd -q -d -c '$work/ref.tar.zst' | tar -xf - -C '$work/x'"
fresh "$work/x"
measure "zstd -d | tar -x" "" "$work/ref.tar.zst" \
  "zstd -q -d -c '$work/ref.tar.zst' | tar -xf - -C '$work/x' && sync -f '$work/x'"
measure "tar | gzip -6" "$work/ref.tar.gz" "$root" \
  "tar -cf - -C '$root' . | gzip -6 >'$work/ref.tar.gz' && sync '$work/ref.tar.gz'"
fresh "$work/x"
measure "gzip -d | tar -x" "" "$work/ref.tar.gz" \
  "gzip -d -c '$work/ref.tar.gz' | tar -xf - -C '$work/x' && sync -f '$work/x'"
rm -rf "$work/x" "$work/ref.tar.zst" "$work/ref.tar.gz"
measure "HA-like (Python tarfile, gzip-6)" "$work/ha.tar" "$root" \
  "python3 '$here/ha_like.py' backup '$root' '$work/ha.tar'"
fresh "$work/x"
measure "HA-like restore" "" "$work/ha.tar" \
  "python3 '$here/ha_like.py' restore '$work/ha.tar' '$work/x' && sync -f '$work/x'"
rm -rf "$work/x" "$work/ha.tar"

run_haven "zstd" zstd "-Xmx256m"
run_haven "gzip --compat" gzip "-Xmx256m" --compat
run_haven "zstd + v3 password" v3 "-Xmx256m" --password "$password"
run_haven "gzip + v2 password (--compat)" v2 "-Xmx256m" --compat --password "$password"
run_haven "zstd, -Xmx64m" zstd64 "-Xmx64m"
run_haven "zstd + v3, -Xmx64m" v364 "-Xmx64m" --password "$password"

# ---- the table ----
ref_backup=${seconds["tar | zstd -1 -T1"]}
ref_restore=${seconds["zstd -d | tar -x"]}
ref_gzip=${seconds["tar | gzip -6"]}
ref_gunzip=${seconds["gzip -d | tar -x"]}
ha=${seconds["HA-like (Python tarfile, gzip-6)"]}
mib=$(echo "$src_bytes / 1048576" | bc -l)
table="$work/table.md"
{
  echo "| Run | Wall s | MB/s | Archive MB | Peak RSS MiB | × zstd ref | × gzip ref | × HA-like |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do
    IFS=";" read -r name secs size rss <<<"$row"
    if [[ $name == *restore* || $name == *"-d |"* ]]; then
      zref=$ref_restore; gref=$ref_gunzip; vs_ha="";
    else
      zref=$ref_backup; gref=$ref_gzip; vs_ha=$(printf '%.1f' "$(echo "$ha / $secs" | bc -l)")
    fi
    archive_mb="-"
    [[ $size != "-" ]] && archive_mb=$(printf '%.0f' "$(echo "$size / 1048576" | bc -l)")
    printf '| %s | %.2f | %.0f | %s | %.0f | %.2f | %.2f | %s |\n' "${name//|/\\|}" "$secs" \
      "$(echo "$mib / $secs" | bc -l)" "$archive_mb" "$(echo "$rss / 1024" | bc -l)" \
      "$(echo "$zref / $secs" | bc -l)" "$(echo "$gref / $secs" | bc -l)" "$vs_ha"
  done
} >"$table"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
jv=$(java -version 2>&1 | head -n 2 | tr '\n' ' ')
cache_note="warm: each run after a full read of its input"
[[ $cold == 1 ]] && cache_note="cold: page cache dropped before each run"
{
  echo "# Haven benchmark"
  echo
  echo "Data: gendata.py --scale $scale ($(printf '%.0f' "$mib") MiB in $(find "$root" -type f | wc -l) files)."
  echo "Machine: $(nproc) cores, $cpu, Linux $(uname -r), $jv."
  echo "Load average before the runs: $load (the machine is shared)."
  echo "Durability: every run ends with its output on disk (Haven forces its files itself; the other"
  echo "pipelines end with \`sync FILE\` or \`sync -f DIR\`), except the rows marked (no sync)."
  echo "Page cache: $cache_note. Ratios are speed ratios (reference time / this time): backups"
  echo "against \`tar -cf - | zstd -1 -T1\` and \`tar -cf - | gzip -6\`, restores against \`zstd -d | tar -x\`"
  echo "and \`gzip -d | tar -x\`. MB/s is MiB of source data per second. Haven's time includes the JVM's start."
  echo "Peak RSS is the largest single process. Measured $(date -u +%Y-%m-%dT%H:%MZ) with bench/run.sh --scale $scale."
  echo
  cat "$table"
} >"$here/results.md"
cat "$here/results.md"
rm -rf "$work"
