#!/usr/bin/env bash
# Runs Haven on the Raspberry Pi's CPU architectures under qemu-user, on an x86-64 machine:
# aarch64 (must pass) and 32-bit armhf (skips, saying why, when its JRE cannot be installed).
# Why armhf needs more than arm64 under qemu-user (hardware-tests/README.md has the details): the
# host's ext4 gives a 32-bit process run by qemu 64-bit directory offsets, which its readdir
# cannot return (EOVERFLOW), so armhf runs with its JRE and data on a tmpfs; and sqlite-jdbc picks its native library
# by running `uname -m`, which a JVM under qemu-user cannot start without binfmt_misc, so it is
# told the CPU a Raspberry Pi's 32-bit OS reports (armv7).
#
# usage: hardware-tests/arm64-emulated.sh        (as root the first time: it installs packages)
#
# For each architecture: the JVM's version, `haven --version`, NativeCheck (zstd-jni, JNA and
# sqlite-jdbc load and work; prints which .so was mapped, for which ELF machine), a backup and a
# full restore of a small gendata root with the tree compared (zstd + SecureTar v3, and gzip +
# SecureTar v2), `haven verify` of both backups and of Home Assistant's v2/v3 fixtures, and
# whether SecureTar v3 used libsodium (installed for the architecture when it can be). Any
# UnsatisfiedLinkError fails the run. Prints PASS/FAIL/SKIP lines; exits 1 when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work="$repo/target/emulated"
scale=${HAVEN_EMULATED_SCALE:-8}
fixtures="$repo/src/test/resources/fixtures"
failed=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failed=1; }
skip() { echo "SKIP $*"; }

if [[ $(uname -m) != x86_64 ]]; then
  skip "emulated architectures: this is $(uname -m), not x86_64; run Haven's tests natively"
  exit 0
fi

# apt-get with retries: an index can fail for a while ("Mirror sync in progress?").
apt_retry() {
  for attempt in 1 2 3; do
    DEBIAN_FRONTEND=noninteractive apt-get -q "$@" && return 0
    echo "apt-get $1 failed (attempt $attempt); retrying in 15 s" >&2
    sleep 15
  done
  return 1
}

# install ARCH PACKAGES...: adds the architecture and installs what is missing.
install() {
  local arch=$1; shift
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) != 0 ]]; then
    echo "need root to install ${missing[*]}" >&2
    return 1
  fi
  dpkg --print-foreign-architectures | grep -qx "$arch" || dpkg --add-architecture "$arch"
  apt_retry update && apt_retry install -y "${missing[@]}"
}

echo "building Haven (x86) and NativeCheck ..."
./haven --version >/dev/null || { echo "FAIL build"; exit 1; }
mkdir -p "$work/classes"
javac -d "$work/classes" -cp target/haven.jar hardware-tests/NativeCheck.java \
  || { echo "FAIL NativeCheck does not compile"; exit 1; }
root="$work/root-$scale"
if [[ ! -d $root ]]; then
  rm -rf "$root.tmp"
  tools/gendata.py "$root.tmp" --scale "$scale" >/dev/null && mv "$root.tmp" "$root"
fi
src_mb=$(du -sm --apparent-size "$root" | cut -f1)

# What a backup leaves out (Home Assistant's excludes, Haven's own files) is not compared; the
# database is a consistent snapshot, so it is compared by its rows.
same_tree() {
  diff -r --no-dereference -x '*.log' -x '*.log.*' -x 'home-assistant_v2.db*' -x '.haven-*' \
    -x __pycache__ -x tts -x .cache -x '*.corrupt.*' -x .DS_Store "$1" "$2" \
    && [[ $(rows "$1") == $(rows "$2") ]]
}
# Read-only, so that the source keeps its WAL for the next backup.
rows() {
  sqlite3 -readonly "$1/config/home-assistant_v2.db" "select count(*) from states"
}

# run_arch NAME JAVA_COMMAND [DIR]: every check under one emulated JVM, on a copy of the data
# root in DIR (default target/emulated/NAME).
run_arch() {
  local name=$1 java=$2 dir=${3:-$work/$1}
  export JAVA="$java"
  rm -rf "$dir"
  mkdir -p "$dir"
  mkdir -p "$dir/tmp"
  cp -a "$root" "$dir/root"
  local root="$dir/root"
  local log="$dir/all.log"
  : >"$log"
  echo "== $name: $java"
  $java -version >>"$log" 2>&1 && pass "$name: $(head -n 1 "$log")" || fail "$name: java -version"
  local v
  v=$(./haven --version 2>>"$log") && pass "$name: haven --version: $v" || fail "$name: haven --version"
  if $java -cp "target/haven.jar:$work/classes" NativeCheck >"$dir/native.txt" 2>&1; then
    pass "$name: native libraries"
  else
    fail "$name: native libraries"
  fi
  sed 's/^/    /' "$dir/native.txt"
  cat "$dir/native.txt" >>"$log"

  export HAVEN_CONFIG="$dir/haven.yaml"
  printf 'compression_workers: 2\n' >"$HAVEN_CONFIG"
  local form args slug t0 secs
  for form in "zstd-v3" "gzip-v2"; do
    case $form in
      zstd-v3) args=(--password emulated) ;;
      gzip-v2) args=(--compat --password emulated) ;;
    esac
    t0=$(date +%s.%N)
    if slug=$(HAVEN_DATA_ROOT="$root" HAVEN_BACKUP_DIR="$dir/backup" \
        ./haven backups new --name "$form" "${args[@]}" 2>>"$log" | tail -n 1); then
      secs=$(echo "$(date +%s.%N) - $t0" | bc -l)
      pass "$name: backup $form ($slug): ${src_mb} MiB in $(printf '%.1f' "$secs") s," \
        "$(printf '%.1f' "$(echo "$src_mb / $secs" | bc -l)") MiB/s emulated"
    else
      fail "$name: backup $form"; continue
    fi
    HAVEN_BACKUP_DIR="$dir/backup" ./haven verify "$slug" --password emulated >>"$log" 2>&1 \
      && pass "$name: verify $form" || fail "$name: verify $form"
    rm -rf "$dir/restored"
    mkdir -p "$dir/restored"
    if HAVEN_DATA_ROOT="$dir/restored" HAVEN_BACKUP_DIR="$dir/backup" \
        ./haven backups restore "$slug" --password emulated >>"$log" 2>&1 \
        && same_tree "$root" "$dir/restored" >>"$log" 2>&1; then
      pass "$name: restore $form, tree compared"
    else
      fail "$name: restore $form (see $log)"
    fi
  done
  HAVEN_BACKUP_DIR="$dir/backup" ./haven verify "$fixtures/backup_example_enc.tar" \
    --password test >>"$log" 2>&1 && pass "$name: verify fixture v2" || fail "$name: verify fixture v2"
  HAVEN_BACKUP_DIR="$dir/backup" ./haven verify "$fixtures/backup_example_sec_v3.tar" \
    --password supervisor >>"$log" 2>&1 && pass "$name: verify fixture v3" \
    || fail "$name: verify fixture v3"
  # SecureTar v3 uses libsodium when it is installed for the architecture, else says once that
  # it runs without (then the Java code above made and read the v3 backup).
  if [[ $sodium == yes ]] && grep -q "without libsodium" "$log"; then
    fail "$name: SecureTar v3 ran without libsodium, which is installed:"
    grep -m 1 "without libsodium" "$log"
  elif [[ $sodium == yes ]]; then
    pass "$name: SecureTar v3 through libsodium"
  elif grep -q "without libsodium" "$log"; then
    pass "$name: SecureTar v3 without libsodium (not installed), the warning logged"
  else
    fail "$name: libsodium23:$name is not installed, yet no warning says so"
  fi
  if grep -q UnsatisfiedLinkError "$log"; then
    fail "$name: UnsatisfiedLinkError:"
    grep -m 3 UnsatisfiedLinkError "$log"
  fi
  rm -rf "$dir/restored" "$dir/backup" "$dir/root"
  unset JAVA HAVEN_CONFIG
}

start=$(date +%s)
# The same backup on this machine's own JVM: a sanity figure beside the emulated ones (emulation
# is not a performance measure; the JVM's start dominates on data this small).
export HAVEN_CONFIG="$work/x86.yaml"
printf 'compression_workers: 2\n' >"$HAVEN_CONFIG"
t0=$(date +%s.%N)
HAVEN_DATA_ROOT="$root" HAVEN_BACKUP_DIR="$work/x86-backup" ./haven backups new --password emulated \
  >/dev/null 2>&1 && echo "x86-64 (native): backup zstd-v3 of ${src_mb} MiB in" \
  "$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc -l)") s"
rm -rf "$work/x86-backup"
unset HAVEN_CONFIG
if install arm64 qemu-user-static openjdk-17-jre-headless:arm64 >"$work/apt-arm64.log" 2>&1; then
  sodium=$(install arm64 libsodium23:arm64 >>"$work/apt-arm64.log" 2>&1 && echo yes || echo no)
  run_arch arm64 "qemu-aarch64-static -L / /usr/lib/jvm/java-17-openjdk-arm64/bin/java"
elif [[ $(id -u) != 0 ]]; then
  skip "arm64: $(tail -n 1 "$work/apt-arm64.log") (run as root once to install them)"
else
  fail "arm64: cannot install qemu-user-static and openjdk-17-jre-headless:arm64:"
  tail -n 5 "$work/apt-arm64.log"
fi
if install armhf qemu-user-static openjdk-17-jre-headless:armhf >"$work/apt-armhf.log" 2>&1; then
  shm=/dev/shm/haven-emulated-armhf
  if [[ $(stat -f -c %T /dev/shm 2>/dev/null) != tmpfs ]]; then
    skip "armhf: /dev/shm is not a tmpfs here; on ext4 a 32-bit process under qemu-user cannot" \
      "list large directories (EOVERFLOW)"
  else
    sodium=$(install armhf libsodium23:armhf >>"$work/apt-armhf.log" 2>&1 && echo yes || echo no)
    # The JRE too: it lists conf/security/policy/ when encryption is first used.
    rm -rf "$shm-jre"
    cp -a /usr/lib/jvm/java-17-openjdk-armhf "$shm-jre"
    run_arch armhf "qemu-arm-static -L / $shm-jre/bin/java \
      -Djava.io.tmpdir=$shm/tmp -Dorg.sqlite.tmpdir=$shm/tmp \
      -Dorg.sqlite.osinfo.architecture=armv7" "$shm"
    rm -rf "$shm" "$shm-jre"
  fi
else
  skip "armhf: its JRE could not be installed here: $(grep -m 1 -E '^(E|Err):' \
    "$work/apt-armhf.log" || tail -n 1 "$work/apt-armhf.log")"
  # Leave apt as it was: an architecture whose index fails would fail every later apt-get update.
  if ! dpkg -l | grep -q ':armhf'; then
    dpkg --remove-architecture armhf 2>/dev/null || true
  fi
fi
echo "emulated checks took $(($(date +%s) - start)) s"
exit $failed
