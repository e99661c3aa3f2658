#!/usr/bin/env bash
# Copies a real Haven backup of about MB megabytes (default 1024) to each loopback server the
# location tests use, as `haven backups copy SLUG --to NAME` does (temporary name, verified by
# reading back its SHA-256, renamed), and downloads it as a restore from the location does, in a
# JVM with -Xmx64m. Prints a Markdown table of MB/s per phase and peak heap, and keeps it in
# bench/offsite.md under a heading for that size (and the servers, when named).
#
# usage: bench/offsite.sh [MB] [SERVER...]   SERVER: sftp s3 webdav-apache webdav-rclone smb rclone
#
# The backup is a full zstd backup, made once with Haven's own code and kept under
# bench/cache/offsite-MB/: its data root is a gendata.py root (scale 1024, or 2×MB when smaller)
# linked from bench/cache/root-SCALE (made as bench/run.sh makes it), plus incompressible files in
# media/offsite-bench/ (recordings, as a camera add-on keeps) to bring the archive to about MB.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
mb="${1:-1024}"
shift || true
cd "$repo"

scale=$(( mb >= 512 ? 1024 : (mb * 2 < 32 ? 32 : mb * 2) ))
base=$("$here/cached-root.sh" "$scale")
dir="$here/cache/offsite-$mb"
if [[ ! -d $dir/root ]]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -al "$base" "$dir/root.tmp" # hard links: the backup only reads the root
  # gendata's roots compress to about 2/5 of their scale with zstd -1; the rest is padding.
  pad=$(( mb - scale * 2 / 5 ))
  mkdir -p "$dir/root.tmp/media/offsite-bench"
  for (( i = 0; pad > 0; i++ )); do
    n=$(( pad < 256 ? pad : 256 ))
    head -c "${n}M" /dev/urandom >"$dir/root.tmp/media/offsite-bench/clip-$i.mp4"
    pad=$(( pad - n ))
  done
  mv "$dir/root.tmp" "$dir/root"
fi

mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="$dir/table.md"
java -Xmx64m -Dhaven.s3proxyJar=target/test-servers/s3proxy.jar \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.haven.store.OffsiteBench "$dir/root" "$dir/backups" "$@" >"$out"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
jv=$(java -version 2>&1 | head -n 1)
section="$dir/section.md"
heading="## A $mb MB backup${*:+: $*}"
{
  echo "$heading"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`bench/offsite.sh $mb${*:+ $*}\` on $(nproc) cores,"
  echo "$cpu, $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r), $jv; the machine is shared."
  echo
  cat "$out"
  echo
} >"$section"
cat "$section"

results="$here/offsite.md"
if [[ ! -f $results ]]; then
  cat >"$results" <<'EOF'
# Offsite copies: MB/s and peak heap per server

Made by `bench/offsite.sh [MB] [SERVER...]` (see its header), one JVM with -Xmx64m for all
servers, each server a real program on 127.0.0.1 started as the location tests start it.
- Upload MB/s: the copy's resumable write to a temporary name and its rename.
- Verify read-back MB/s: reading the whole copy back and taking its SHA-256.
- Copy s: all of `haven backups copy SLUG --to NAME`'s work (stat, upload, verify).
- Download MB/s: the restore path's download into the backup directory (SHA-256, fsync).
- Download s: the whole download, with its checks (size, SHA-256, backup.json, every part read
  through and decompressed), before the temporary file is renamed.
- Peak heap MB: the most heap in use at one moment while copying and downloading to that server
  (taken before each GC; reset between servers). Pool peaks MB: the sum of the heap pools' own
  peaks (MemoryPoolMXBean), an upper bound that can exceed -Xmx since each pool peaks at its
  own moment.
- Peak RSS is the bench JVM's over the whole run (VmHWM cannot be reset); the servers are
  other processes.

EOF
fi
# Replace this size's section, keep the others.
awk -v head="$heading" '
  /^## / { skip = ($0 == head) }
  !skip { print }' "$results" >"$results.tmp"
cat "$section" >>"$results.tmp"
mv "$results.tmp" "$results"
