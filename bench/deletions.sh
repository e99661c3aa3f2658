# Sourced by the benches: deletions are noted, and restores wait until they have aged. An ext4
# without a journal (this machine's) checks every new inode against those deleted in the last
# 60 s (360 s while their inode table block is dirty), which made a restore after a delete several
# times slower. Needs $cache (the benches' cache directory).
deleted_at="$cache/deleted-at"
quiet_after=370 # seconds: ext4's 60 s for a recently deleted inode, 360 s while its block is dirty
forget() { # deletes TREE... and notes when, so that no restore runs beside the deletion
  local t there=()
  for t in "$@"; do
    if [[ -e $t ]]; then there+=("$t"); fi
  done
  if [[ ${#there[@]} == 0 ]]; then return 0; fi
  rm -rf "${there[@]}"
  sync -f "$cache"
  date +%s >"$deleted_at"
}
await_quiet() { # waits until the last deletion is older than quiet_after
  [[ -f $deleted_at ]] || return 0
  local left=$(($(cat "$deleted_at") + quiet_after - $(date +%s)))
  if ((left > 0)); then
    echo "bench: waiting ${left}s for the inodes deleted before to age (see bench/deletions.sh)" >&2
    sleep "$left"
  fi
}
