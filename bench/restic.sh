#!/usr/bin/env bash
# Haven's restic location side by side with restic itself on the same generated data root:
# first copy, unchanged second copy, copy after about 1% changed (new database rows and two new
# media files), full restore, check --read-data, and a prune after the first two are forgotten. Prints a Markdown table of wall time,
# bytes the repository grew by and peak RSS (/usr/bin/time -v) of each run; Haven in a JVM with
# -Xmx64m. Haven copies a Haven backup made just before (not timed) into its repository, as
# `haven backups copy SLUG --to vault` does; restic backs up the data root directly. Both restore
# into new directories once the last deletion has aged (bench/deletions.sh).
#
# With --agent, Haven's copies and its restore are asked of running agents (one for the data root,
# one for the restore's), as `haven backups copy` and `restore` do when systemd runs the agent:
# the command's JVM only sends the request. Each agent has copied and restored once before (into
# a scratch repository, untimed), and its peak RSS since its start is the row's. The check and
# the prune run in the command's own process either way.
#
# usage: bench/restic.sh [--scale MB] [--agent]   (default 1024; the root is cached under bench/cache/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
scale=1024
agent=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --agent) agent=1; shift ;;
    *) echo "usage: bench/restic.sh [--scale MB] [--agent]" >&2; exit 2 ;;
  esac
done
command -v restic >/dev/null || { echo "bench: restic is missing: apt-get install restic" >&2; exit 1; }
# Resolved: a cached root that is a symbolic link would be copied as the link, so that restic
# backed up a link and the 1% change wrote into the cache itself.
cached=$(readlink -f "$("$here/cached-root.sh" "$scale")")
cache="$here/cache"
source "$here/deletions.sh"
work="$cache/restic"
forget "$work"
mkdir -p "$work"
cp -a "$cached" "$work/root"
printf 'bench password\n' >"$work/password"
printf 'data_root: %s\nbackup_dir: %s\nlocations_file: %s\ncompression_workers: 2\n' \
  "$work/root" "$work/backup" "$work/locations.yaml" >"$work/haven.yaml"
printf 'data_root: %s\nbackup_dir: %s\nlocations_file: %s\ncompression_workers: 2\n' \
  "$work/restored-haven" "$work/backup2" "$work/locations.yaml" >"$work/haven2.yaml"
export HAVEN_JAVA_OPTS="-Xmx64m" RESTIC_PASSWORD_FILE="$work/password" \
  RESTIC_CACHE_DIR="$work/restic-cache"
"$repo/haven" --version >/dev/null
mib=$(( $(du -sb --apparent-size "$work/root" | cut -f1) / 1048576 ))

haven() { "$repo/haven" --config "$work/haven.yaml" "$@"; }
size() { du -sb "$1" | cut -f1; }

# timed NAME REPO COMMAND...: one table row; the repository's growth is measured around it.
# With AGENT_PID set, the peak RSS is that agent's (the command only asked it).
timed() {
  local name="$1" dir="$2"; shift 2
  local before t0 t1 rss grown
  before=$(size "$dir")
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" \
    || { cat "$work/out.txt" "$work/err.txt" >&2; exit 1; }
  t1=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$work/time.txt")
  if [[ -n ${AGENT_PID:-} ]]; then
    rss=$(awk '/^VmHWM:/ {print int($2 / 1024)}' "/proc/$AGENT_PID/status")
    name="$name (agent)"
  fi
  grown=$(( $(size "$dir") - before ))
  printf '| %s | %.1f | %s | %s |\n' "$name" "$(echo "$t1 - $t0" | bc -l)" \
    "$(echo "scale=1; $grown / 1048576" | bc -l)" "$rss"
}

# About 1% of the root: rows added to the recorder database, and two new media files.
change() {
  local part=$(( mib * 1048576 / 200 ))
  python3 - "$work/root/config/home-assistant_v2.db" "$part" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("create table if not exists bench_rows (id integer primary key, payload blob)")
left = int(sys.argv[2])
while left > 0:
    c.execute("insert into bench_rows (payload) values (?)", (os.urandom(4000),))
    left -= 4000
c.commit()
PY
  head -c $(( part / 2 )) /dev/urandom >"$work/root/media/bench-new-1.mp4"
  head -c $(( part / 2 )) /dev/urandom >"$work/root/media/bench-new-2.mp4"
}

haven locations add vault "restic+file://$work/haven-repo" --password-file "$work/password" >/dev/null
restic init --repository-version 2 -r "$work/restic-repo" -q >/dev/null

source "$here/agents.sh"
haven_agent() { # CONFIG SOCKET: an agent of CONFIG listening on SOCKET; sets started
  start_agent "$2" "$2.log" env HAVEN_API_LISTEN=127.0.0.1:0 "$repo/haven" --config "$1" agent
}
copy_agent="" restore_agent=""
if [[ $agent == 1 ]]; then
  haven locations add scratch "restic+file://$work/scratch-repo" --password-file \
    "$work/password" >/dev/null
  haven_agent "$work/haven.yaml" "$work/agent.sock"
  copy_agent=$started
  haven_agent "$work/haven2.yaml" "$work/agent2.sock"
  restore_agent=$started
  # The agents' earlier work: a copy into a scratch repository and a restore from it, untimed.
  warm=$(haven backups new --name warm-up 2>/dev/null | tail -n 1)
  HAVEN_SOCKET="$work/agent.sock" haven backups copy "$warm" --to scratch >/dev/null 2>&1
  HAVEN_SOCKET="$work/agent2.sock" "$repo/haven" --config "$work/haven2.yaml" backups restore \
    "$warm" --from scratch >/dev/null 2>&1
  haven backups remove "$warm" --yes >/dev/null
  haven locations remove scratch >/dev/null
  forget "$work/scratch-repo" "$work/restored-haven"
fi
# as_agent PID COMMAND...: COMMAND with the socket of that agent, when there is one
as_agent() {
  local pid="$1"; shift
  if [[ -z $pid ]]; then "$@"; return; fi
  local sock="$work/agent.sock"
  [[ $pid == "$restore_agent" ]] && sock="$work/agent2.sock"
  AGENT_PID=$pid HAVEN_SOCKET=$sock "$@"
}

echo "Data: gendata.py --scale $scale ($mib MiB in $(find "$work/root" -type f | wc -l) files);"
echo "Haven with -Xmx64m; restic $(restic version | cut -d' ' -f2); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| Run | Wall s | Repository grew MiB (a prune: less than 0) | Peak RSS MiB |"
echo "|---|---:|---:|---:|"
old=()
for step in first unchanged changed; do
  [[ $step == changed ]] && change
  slug=$(haven backups new --name "$step" 2>/dev/null | tail -n 1)
  [[ $step == changed ]] || old+=("$slug")
  as_agent "$copy_agent" timed "Haven: $step copy" "$work/haven-repo" "$repo/haven" --config \
    "$work/haven.yaml" backups copy "$slug" --to vault
  timed "restic: $step backup" "$work/restic-repo" restic -r "$work/restic-repo" backup -q \
    "$work/root"
done
mkdir -p "$work/restored-haven" "$work/restored-restic"
await_quiet
as_agent "$restore_agent" timed "Haven: restore" "$work/haven-repo" "$repo/haven" --config \
  "$work/haven2.yaml" backups restore "$slug" --from vault
# restic leaves its restored files to the page cache; Haven's restore ends with them on disk.
timed "restic: restore, then sync -f" "$work/restic-repo" sh -c \
  'restic -r "$1" restore latest -q --target "$2" && sync -f "$2"' sh "$work/restic-repo" \
  "$work/restored-restic"
timed "Haven: check --read-data" "$work/haven-repo" "$repo/haven" --config "$work/haven.yaml" \
  backups verify --location vault --read-data
timed "restic: check --read-data" "$work/restic-repo" restic -r "$work/restic-repo" check -q \
  --read-data
# What only the first two copies used: the database pages the change rewrote.
for slug in "${old[@]}"; do
  haven backups remove "$slug" --location vault --yes >/dev/null
done
timed "Haven: prune, first two forgotten" "$work/haven-repo" "$repo/haven" --config \
  "$work/haven.yaml" backups prune
restic -r "$work/restic-repo" forget -q $(restic -r "$work/restic-repo" snapshots --json \
  | python3 -c 'import json, sys; print(" ".join(s["id"] for s in json.load(sys.stdin)[:2]))')
timed "restic: prune, first two forgotten" "$work/restic-repo" restic -r "$work/restic-repo" \
  prune -q
echo
echo "Stored: Haven's repository $(( $(size "$work/haven-repo") / 1048576 )) MiB, restic's" \
  "$(( $(size "$work/restic-repo") / 1048576 )) MiB; load after: $(cut -d' ' -f1-3 /proc/loadavg)."
restic -r "$work/haven-repo" check -q >/dev/null && echo "restic check of Haven's repository: no errors."
forget "$work"
