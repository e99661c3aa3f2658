#!/usr/bin/env bash
# Side-by-side benchmark: Haven's backup and restore against tar|zstd, tar|gzip and a Home
# Assistant-like Python pipeline, on the same data root, on this machine, in wall time and in
# CPU-seconds, with the ratio against each target of issue 19.
#
# usage: bench/run.sh [--shape default|small-files|huge-files] [--scale MB] [--db wal|stopped|both]
#                     [--repeat N] [--cold] [--baseline LAUNCHER]
#   --shape   default: gendata.py's mix; small-files: many 4 KB files;
#             huge-files: a few large media files (tools/gendata.py, through bench/cached-root.sh)
#   --scale   size of the data root in MB (default 512); cached under bench/cache/
#   --db      the recorder database as a running Home Assistant leaves it (WAL mode, -wal
#             present), as a stopped one does (WAL mode, no -wal), or both runs (default)
#   --repeat  runs of each row; the table keeps the least wall and the least CPU (default 1)
#   --cold    drop the page cache before every run (needs root); default: warm it instead
#   --baseline LAUNCHER  also time another build's zstd backup and restore (its `haven` script),
#             in the same run, for a before/after comparison
#
# Haven runs two ways: as a one-shot command (`haven backups new`, a JVM started for the one job),
# and as the agent that systemd starts at boot, where the schedule and Home Assistant's API calls
# run each job in a JVM that has run jobs before. The "Haven agent" rows time the second: an agent
# of the same jar, warmed by two untimed backups and restores, is asked over its HTTP API (curl,
# as Home Assistant's backup integration asks the Supervisor); their CPU-seconds are curl's plus
# the agent's own user + system time over the call (/proc/PID/stat), and their peak RSS is the
# agent's since its start (VmHWM).
#
# Restores, Haven's and the reference's alike, each go into a new directory on the same file system,
# with no tree deleted in the minutes before: an ext4 without a journal (this machine's) checks
# every new inode against those deleted in the last 60 s (360 s while their inode table block is
# dirty), which made a restore after a delete several times slower. Restored trees are moved
# aside and deleted at the end, and a run waits until the last bench's deletion is that old.
# The reference backups leave out what Haven's default excludes leave out (logs, the TTS cache),
# and the reference restore reads the very members of Haven's backup (tar -xO | zstd -d | tar -x,
# per part): both sides read and write the same files.
#
# Page cache: by default every run starts after the same warm-up read of its input, so the table
# compares the pipelines' CPU cost. CPU-seconds are user + system time of the whole command and
# every process it started (getrusage of the children, /usr/bin/time): the steadier measure on a
# shared machine. Peak RSS is the largest single process. Haven's times include the JVM's start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
shape=default
scale=512
dbs=(wal stopped)
repeat=1
cold=0
baseline=""
usage="usage: bench/run.sh [--shape default|small-files|huge-files] [--scale MB] [--db wal|stopped|both] [--repeat N] [--cold] [--baseline LAUNCHER]"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shape) shape="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --db) case "$2" in both) dbs=(wal stopped) ;; wal|stopped) dbs=("$2") ;; *) echo "$usage" >&2; exit 2 ;; esac; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --cold) cold=1; shift ;;
    --baseline) baseline="$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for tool in tar zstd gzip python3 java bc curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install it)" >&2; exit 1; }
done

cache="$here/cache"
root=$("$here/cached-root.sh" "$scale" "$shape")
work="$cache/work-$shape"
trash="$cache/trash"
source "$here/deletions.sh"
forget_later() { # moves TREE... aside, to be deleted at the end of the run
  mkdir -p "$trash"
  local t
  for t in "$@"; do
    if [[ -e $t ]]; then mv "$t" "$trash/$(basename "$t")-$RANDOM$RANDOM"; fi
  done
}
forget "$work" "$trash"
mkdir -p "$work"
echo "bench: building Haven's jar..." >&2
"$repo/haven" --version >/dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
src_bytes=$(du -sb --apparent-size "$root/" | cut -f1) # "/": the cached root may be a link
files=$(find "$root/" -type f | wc -l)
export HAVEN_CONFIG="$work/haven.yaml"
printf 'compression_workers: 2\n' >"$HAVEN_CONFIG"
password=bench-password-1
haven="$repo/haven"

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

fresh() { rm -rf "$1"; mkdir -p "$1"; }

declare -a rows=()
declare -A wall=() cpu=()
# measure NAME WARM_PATH SETUP COMMAND [AGENT_PID]: runs SETUP (untimed), then COMMAND (a bash
# string) after warm-up, --repeat times, with the dirty pages of earlier runs written out first so
# that no run pays for another's. Keeps the least wall and the least CPU-seconds; with AGENT_PID,
# the CPU-seconds the agent spent meanwhile count too. Both see $OUT, a directory new for every
# run, which a restore writes into; it is moved aside afterwards, never deleted.
measure() {
  local name="$1" warm_path="$2" setup="$3" cmd="$4" agent="${5:-}"
  local best_wall="" best_cpu="" rss=0 i t0 t1 secs c r a0 a1
  for ((i = 0; i < repeat; i++)); do
    export OUT="$work/out-$i"
    bash -c "$setup"
    mkdir -p "$OUT"
    sync
    await_quiet
    warm "$warm_path"
    [[ -n $agent ]] && a0=$(agent_cpu "$agent")
    t0=$(date +%s.%N)
    if ! /usr/bin/time -f '%U %S %M' -o "$work/time.txt" bash -c "$cmd" >"$work/out.txt" 2>"$work/err.txt"; then
      echo "bench: '$name' failed:" >&2
      cat "$work/err.txt" "$work/out.txt" >&2
      exit 1
    fi
    t1=$(date +%s.%N)
    secs=$(echo "$t1 - $t0" | bc -l)
    read -r u s r <"$work/time.txt"
    c=$(echo "$u + $s" | bc -l)
    if [[ -n $agent ]]; then
      a1=$(agent_cpu "$agent")
      c=$(echo "$c + $a1 - $a0" | bc -l)
      r=$(awk '/^VmHWM:/ {print $2}' "/proc/$agent/status")
    fi
    [[ -z $best_wall || $(echo "$secs < $best_wall" | bc -l) == 1 ]] && best_wall=$secs
    [[ -z $best_cpu || $(echo "$c < $best_cpu" | bc -l) == 1 ]] && best_cpu=$c
    (( r > rss )) && rss=$r
    forget_later "$OUT"
  done
  wall[$name]=$best_wall
  cpu[$name]=$best_cpu
  rows+=("$name;$rss")
  printf 'bench: %-44s %7.2f s wall %7.2f s CPU\n' "$name" "$best_wall" "$best_cpu" >&2
}

# ---- the agent ----
source "$here/agents.sh"
agent_cpu() { # PID: its user + system seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}
# agent_start NAME DATA_ROOT BACKUP_DIR: starts an agent serving on a free port, waits until it
# listens; sets agent_pid and agent_url.
agent_start() {
  local name="$1" port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$2" "$3"
  start_agent "$work/$name.sock" "$work/$name.log" env HAVEN_DATA_ROOT="$2" HAVEN_BACKUP_DIR="$3" \
    HAVEN_API_LISTEN="127.0.0.1:$port" "$haven" agent
  agent_pid=$started
  agent_url="http://127.0.0.1:$port"
}
slug_in() { sed -n 's/.*"slug":"\([0-9a-f]*\)".*/\1/p' "$1"; } # FILE: the slug of an API answer
# agent_job URL PATH BODY: the bash command that asks for a job and waits for it; it fails unless
# the answer says ok.
agent_job() {
  printf 'curl -sS -X POST -H %q -H %q -d %q %q | tee /dev/stderr | grep -q %q' \
    "Authorization: Bearer $agent_token" "Content-Type: application/json" "$3" "$1$2" '"result":"ok"'
}

# The reference restore of a Haven backup: every compressed part through zstd -d | tar -x, into a
# directory of its own below $OUT; the same files as Haven's restore writes, read the same way.
reference_restore() { # ARCHIVE
  printf 'set -euo pipefail; for m in $(tar -tf %q | grep "\\.tar\\.zst$"); do mkdir -p "$OUT/$m"; tar -xOf %q "$m" | zstd -q -d | tar -xf - -C "$OUT/$m"; done; sync -f "$OUT"' "$1" "$1"
}

# What Haven leaves out of the config directory by default (Excludes.HOME_ASSISTANT, the
# Supervisor's list), as GNU tar patterns: the reference backups archive the same files as Haven.
ref_excludes="--anchored --no-wildcards-match-slash"
for g in '*.log' '*.log.*' '*.db-shm' '*.corrupt.*' '.storage/*.corrupt.*' OZW_Log.txt \
  'backups/*.tar' 'tmp_backups/*.tar' 'tts/*' '.cache/*'; do
  ref_excludes+=" --exclude='./config/$g'"
done
ref_excludes+=" --wildcards-match-slash --exclude='./config/__pycache__/*' --exclude='./config/*/__pycache__/*'"

run_db() { # DB: every row for the database state DB
  local db="$1"
  python3 "$here/db-state.py" "$root" "$db"
  local t="[$db] "
  measure "${t}tar | zstd -1 -T1" "$root" "rm -f '$work/ref.tar.zst'" \
    "tar -cf - -C '$root' $ref_excludes . | zstd -q -1 -T1 >'$work/ref.tar.zst' && sync '$work/ref.tar.zst'"
  measure "${t}tar | gzip -6" "$root" "rm -f '$work/ref.tar.gz'" \
    "tar -cf - -C '$root' $ref_excludes . | gzip -6 >'$work/ref.tar.gz' && sync '$work/ref.tar.gz'"
  rm -f "$work/ref.tar.zst" "$work/ref.tar.gz"
  measure "${t}HA-like backup (Python tarfile, gzip-6)" "$root" "rm -f '$work/ha.tar'" \
    "python3 '$here/ha_like.py' backup '$root' '$work/ha.tar'"
  rm -f "$work/ha.tar"
  local name dir opts
  if [[ -n $baseline ]]; then
    measure "${t}baseline backup, zstd" "$root" "rm -rf '$work/base'; mkdir -p '$work/base'" \
      "HAVEN_DATA_ROOT='$root' HAVEN_BACKUP_DIR='$work/base' $baseline backups new --filename b.tar"
    measure "${t}baseline restore, zstd" "$work/base/b.tar" "" \
      "HAVEN_DATA_ROOT=\"\$OUT\" HAVEN_BACKUP_DIR='$work/base' $baseline backups restore $(tail -n 1 "$work/out.txt")"
    rm -rf "$work/base"
  fi
  for spec in "zstd;zstd;" "zstd + v3;v3;--password $password" "gzip --compat;gzip;--compat" \
    "zstd, -Xmx64m;x64;"; do
    IFS=";" read -r name dir args <<<"$spec"
    opts=-Xmx256m
    [[ $name == *Xmx64m* ]] && opts=-Xmx64m
    measure "${t}Haven backup, $name" "$root" "rm -rf '$work/$dir'; mkdir -p '$work/$dir'" \
      "HAVEN_JAVA_OPTS='$opts' HAVEN_DATA_ROOT='$root' HAVEN_BACKUP_DIR='$work/$dir' $haven backups new --filename b.tar $args"
    local slug
    slug=$(tail -n 1 "$work/out.txt")
    local pw=""
    [[ $args == *--password* ]] && pw="--password $password"
    if [[ $name == zstd ]]; then
      measure "${t}zstd -d | tar -x" "$work/$dir/b.tar" "" "$(reference_restore "$work/$dir/b.tar")"
    fi
    if [[ $name != *Xmx64m* ]]; then
      measure "${t}Haven restore, $name" "$work/$dir/b.tar" "" \
        "HAVEN_JAVA_OPTS='$opts' HAVEN_DATA_ROOT=\"\$OUT\" HAVEN_BACKUP_DIR='$work/$dir' $haven backups restore $slug $pw"
    fi
    rm -rf "$work/$dir"
  done
  run_agent "$t"
}

# The agent's rows: one agent backs up the root, another restores into a data root of its own,
# which each run replaces with a new empty directory (as the reference restore writes into one).
run_agent() { # PREFIX
  local t="$1" i slug
  local bdir="$work/agent-backups" rdir="$work/agent-restores" rroot="$work/agent-root"
  agent_start backup-agent "$root" "$bdir"
  local bpid=$agent_pid burl=$agent_url
  agent_start restore-agent "$rroot" "$rdir"
  local rpid=$agent_pid rurl=$agent_url
  local renew="mv '$rroot' '$trash'/agent-root-\$RANDOM\$RANDOM && mkdir '$rroot'"
  mkdir -p "$trash"
  for i in 1 2; do # the agent's earlier jobs: untimed
    bash -c "$(agent_job "$burl" /backups/new/full '{"name":"warm-up"}')" >"$work/out.txt" 2>&1
    slug=$(slug_in "$work/out.txt")
    ln "$bdir/$slug.tar" "$rdir/"
    bash -c "$renew"
    bash -c "$(agent_job "$rurl" "/backups/$slug/restore/full" '{}')" >/dev/null 2>&1
  done
  measure "${t}Haven agent backup, zstd" "$root" "rm -f '$bdir'/*.tar" \
    "$(agent_job "$burl" /backups/new/full '{"name":"bench"}')" "$bpid"
  slug=$(slug_in "$work/err.txt")
  rm -f "$rdir"/*.tar
  ln "$bdir/$slug.tar" "$rdir/"
  measure "${t}Haven agent restore, zstd" "$rdir/$slug.tar" "$renew" \
    "$(agent_job "$rurl" "/backups/$slug/restore/full" '{}')" "$rpid"
  stop_agents
  rm -rf "$bdir" "$rdir"
}

for db in "${dbs[@]}"; do
  run_db "$db"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table ----
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
verdict() { # VALUE OP LIMIT
  if [[ $(echo "$1 $2 $3" | bc -l) == 1 ]]; then echo "met"; else echo "**not met**"; fi
}
table="$work/table.md"
{
  echo "| Run | Wall s | CPU s | MiB/s | Peak RSS MiB | Target | Measured | |"
  echo "|---|---:|---:|---:|---:|---|---:|---|"
  mib=$(echo "$src_bytes / 1048576" | bc -l)
  for row in "${rows[@]}"; do
    IFS=";" read -r name rss <<<"$row"
    db=${name%%]*}; db=${db#[}
    t="[$db] "
    w=${wall[$name]} c=${cpu[$name]}
    targets=()
    case "$name" in
      *"Haven backup, zstd"|*"Haven backup, zstd, -Xmx64m"|*"baseline backup, zstd"|*"agent backup, zstd")
        r=$(ratio "${wall[${t}tar | zstd -1 -T1]}" "$w")
        targets+=("wall ≥ 0.9 × tar\\|zstd;$r ×;$(verdict "$r" '>=' 0.9)")
        r=$(ratio "${wall[${t}HA-like backup (Python tarfile, gzip-6)]}" "$w")
        targets+=("wall ≥ 10 × HA-like;$r ×;$(verdict "$r" '>=' 10)")
        r=$(ratio "$c" "${cpu[${t}tar | zstd -1 -T1]}")
        targets+=("CPU ≤ 1.5 × tar+zstd;$r ×;$(verdict "$r" '<=' 1.5)") ;;
      *"Haven restore, zstd"|*"baseline restore, zstd"|*"agent restore, zstd")
        r=$(ratio "${wall[${t}zstd -d | tar -x]}" "$w")
        targets+=("wall ≥ 0.9 × zstd -d\\|tar -x;$r ×;$(verdict "$r" '>=' 0.9)")
        r=$(ratio "$c" "${cpu[${t}zstd -d | tar -x]}")
        targets+=("CPU ≤ 1.5 × zstd -d+tar -x;$r ×;$(verdict "$r" '<=' 1.5)") ;;
      *"Haven backup, zstd + v3")
        r=$(ratio "${wall[${t}Haven backup, zstd]}" "$w")
        targets+=("wall ≥ 0.85 × unencrypted;$r ×;$(verdict "$r" '>=' 0.85)") ;;
      *"Haven backup, gzip --compat")
        r=$(ratio "${wall[${t}tar | gzip -6]}" "$w")
        targets+=("wall ≥ 1.5 × tar\\|gzip -6;$r ×;$(verdict "$r" '>=' 1.5)") ;;
    esac
    [[ ${#targets[@]} == 0 ]] && targets=(";;")
    first=1
    for tg in "${targets[@]}"; do
      IFS=";" read -r what measured met <<<"$tg"
      if [[ $first == 1 ]]; then
        printf '| %s | %.2f | %.2f | %.0f | %.0f | %s | %s | %s |\n' "${name//|/\\|}" "$w" "$c" \
          "$(echo "$mib / $w" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$what" "$measured" "$met"
        first=0
      else
        printf '| | | | | | %s | %s | %s |\n' "$what" "$measured" "$met"
      fi
    done
  done
} >"$table"

cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
jv=$(java -version 2>&1 | head -n 2 | tr '\n' ' ')
cache_note="warm: each run after a full read of its input"
[[ $cold == 1 ]] && cache_note="cold: page cache dropped before each run"
out="$here/results-$shape.md"
{
  echo "## Shape: $shape"
  echo
  echo "Data: $shape, --scale $scale ($(printf '%.0f' "$(echo "$src_bytes / 1048576" | bc -l)") MiB in $files files)."
  echo "Recorder database: [wal] WAL mode with its -wal file (Home Assistant running); [stopped] WAL mode, no -wal."
  echo "Machine: $(nproc) cores, $cpu_model, Linux $(uname -r), $jv."
  echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after (the machine is shared)."
  echo "Every run ends with its output on disk (Haven forces its files; the others end with \`sync FILE\`"
  echo "or \`sync -f DIR\`). Page cache: $cache_note. Best of $repeat run(s) per row."
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) with bench/run.sh --shape $shape --scale $scale."
  echo
  cat "$table"
} >"$out"
cat "$out"
forget "$work" "$trash"
