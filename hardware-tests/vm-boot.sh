#!/usr/bin/env bash
# Boots Debian 12 under real systemd in qemu, installs target/haven_<version>_all.deb, reboots and
# checks haven.service: active after boot, READY and STATUS seen by systemd, the API with the
# token file's token (in the VM, and from the host through a forwarded port), backups through the
# socket and through `ha backups new`, a restore, the watchdog replacing an agent frozen with
# kill -STOP, `systemctl stop` during a backup, and the journal. The checks run in the VM
# (vm/guest.sh) and print VMTEST lines on the serial console, which this script reads and prints
# as one PASS or FAIL line each, with the time of each phase and the machine's load.
# KVM when /dev/kvm can be opened, TCG otherwise (HAVEN_VM_ACCEL=tcg forces it). The Debian tree
# is built once (vm-image.sh) and cached in target/vm-cache. Skips with its reason without root,
# qemu, debootstrap or mkfs.ext4, or when the Debian mirror cannot be reached.
# HAVEN_VM_TIMEOUT (default 900 s) bounds the VM's whole run; every wait in the VM is bounded too.
set -euo pipefail
cd "$(dirname "$0")/.."
here=hardware-tests
skip() { echo "SKIP vm-boot: $*"; [[ -n "${HAVEN_TEST_DISALLOW_SKIP:-}" ]] && exit 1; exit 0; }
[[ $(id -u) == 0 ]] || skip "needs root (debootstrap, and mkfs.ext4 -d keeping root's files)"
export PATH=$PATH:/usr/sbin:/sbin
for tool in qemu-system-x86_64 debootstrap mkfs.ext4 depmod curl python3; do
  command -v "$tool" >/dev/null \
    || skip "needs $tool (Debian: qemu-system-x86, debootstrap, e2fsprogs, kmod, curl, python3)"
done
deb=$(ls target/haven_*_all.deb 2>/dev/null | head -1)
[[ -n "$deb" ]] || { echo "FAIL vm-boot: no target/haven_*_all.deb; run mvn package" >&2; exit 1; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
phases=()
phase_start=$SECONDS
phase() { phases+=("$(printf '%-40s %4d s   (load %s)' "$1" $((SECONDS - phase_start)) "$(load)")"); phase_start=$SECONDS; }
started=$SECONDS
echo "vm-boot: load average at the start: $(load) on $(nproc) cores"

rc=0
tree=$("$here/vm-image.sh" target/vm-cache) || rc=$?
((rc == 3)) && skip "the Debian mirror cannot be reached for debootstrap"
((rc == 0)) || { echo "FAIL vm-boot: the Debian tree could not be built" >&2; exit 1; }
phase "Debian tree (debootstrap, or cached)"

work=target/vm-run
rm -rf "$work" && mkdir -p "$work"
install -D -m 0644 "$deb" "$tree/opt/vmtest/haven.deb"
install -D -m 0755 "$here/vm/guest.sh" "$tree/opt/vmtest/guest.sh"
install -D -m 0644 "$here/vm/vmtest.service" "$tree/etc/systemd/system/vmtest.service"
ln -sf /etc/systemd/system/vmtest.service "$tree/etc/systemd/system/multi-user.target.wants/vmtest.service"
# A small Home Assistant database, so the backups use sqlite-jdbc's native library.
rm -f "$tree/opt/vmtest/home-assistant_v2.db"
python3 - "$tree/opt/vmtest/home-assistant_v2.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("create table states (state_id integer primary key, state text)")
db.executemany("insert into states (state) values (?)", [("on",), ("off",)] * 500)
db.commit()
EOF
# What the backup that `systemctl stop` interrupts reads: random, so it cannot compress away.
[[ -f "$tree/opt/vmtest/big.bin" ]] || head -c 300M /dev/urandom >"$tree/opt/vmtest/big.bin"
# TCG emulates the CPU many times slower than a board runs it: the JVM's start can need more than
# the unit's default 90 s start timeout, and the C1 compiler alone starts it sooner. A drop-in for
# this VM only; the unit under test is the one the package ships, hardening and all.
install -d "$tree/etc/systemd/system/haven.service.d"
printf '[Service]\nTimeoutStartSec=300\nEnvironment="HAVEN_JAVA_OPTS=-Xmx128m -XX:TieredStopAtLevel=1"\n' \
  >"$tree/etc/systemd/system/haven.service.d/vm.conf"
kernel=$(ls "$tree"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$tree"/boot/initrd.img-* | sort -V | tail -1)
truncate -s 3G "$work/root.img"
mkfs.ext4 -q -F -L haven-vm -d "$tree" "$work/root.img"
phase "ext4 image (mkfs.ext4 -d)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
console=$work/console.log
# KVM only when it really runs a guest: a /dev/kvm inside another VM may open and still fail
# (qemu aborting on an MSR, or a guest that never prints). The kernel alone must reach the
# console within 20 s; otherwise TCG, which qemu runs anywhere.
kvm_boots() {
  [[ -r /dev/kvm && -w /dev/kvm ]] || { echo "no usable /dev/kvm"; return 1; }
  timeout 20 qemu-system-x86_64 -machine q35 -accel kvm -cpu host -m 256 -kernel "$kernel" \
    -append "console=ttyS0 panic=-1" -no-reboot -serial file:"$work/kvm-probe.log" \
    -monitor none -display none </dev/null >"$work/kvm-probe.qemu.log" 2>&1 || true
  grep -q 'Linux version' "$work/kvm-probe.log" 2>/dev/null && return 0
  echo "KVM did not boot the kernel: $(head -1 "$work/kvm-probe.qemu.log")"
  return 1
}
accel=${HAVEN_VM_ACCEL:-}
if [[ -z $accel ]]; then
  if why=$(kvm_boots); then accel=kvm; else accel=tcg; echo "vm-boot: TCG, as $why"; fi
fi
if [[ $accel == kvm ]]; then
  accels=(-accel kvm -cpu host)
else
  # thread=multi gives each of the VM's two CPUs its own host thread.
  accels=(-accel tcg,thread=multi -cpu max)
fi
# CPU seconds of this script's finished children, so the VM's own can be told apart from the
# machine's load: `times` in this shell (in a $(subshell) it would count the subshell's).
cpu_seconds() {
  times >"$work/times"
  cpu=$(tail -1 "$work/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}
cpu_seconds
cpu_before=$cpu
# tsc=reliable: under TCG the kernel finds the two CPUs' TSCs "unsynchronized" and falls back to
# the HPET, whose every read qemu emulates; the JVM reads the clock all the time.
timeout "${HAVEN_VM_TIMEOUT:-900}" qemu-system-x86_64 -machine q35 "${accels[@]}" -smp 2 -m 1024 \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 root=/dev/vda rw quiet mitigations=off tsc=reliable systemd.show_status=false" \
  -drive file="$work/root.img",format=raw,if=virtio \
  -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$port-:8470 -device virtio-net-pci,netdev=net0,romfile= -device virtio-rng-pci \
  -serial file:"$console" -monitor none -display none -nographic </dev/null >"$work/qemu.log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
echo "vm-boot: qemu started (-accel $accel, 2 CPUs, 1 GiB); console in $console"

# The VM's lines, without the journal's "[  12.3] guest.sh[294]: " in front.
lines() { tr -d '\r' 2>/dev/null <"$console" | sed -n 's/^.*\(VMTEST .*\)$/\1/p'; }
# The host's own check: once the VM prints its token, a backup through the forwarded port.
host_check() {
  local token
  token=$(lines | sed -n 's/^VMTEST token //p' | tail -1)
  curl -fsS -m 300 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"name":"from-host"}' "http://127.0.0.1:$port/backups/new/full" \
    | grep -q '"result":"ok"' \
    && curl -fsS -m 60 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/backups" \
      | grep -q '"name":"from-host"'
}
host_checked=
seen=
mark() {  # the first time the VM prints $1, end the phase called $2
  if [[ " $seen " != *" $1 "* ]] && lines | grep -q "^VMTEST $1"; then
    seen+=" $1"
    phase "$2"
  fi
}
while kill -0 $qemu 2>/dev/null; do
  mark "boot 1" "first boot (to the test's start)"
  mark "rebooting" "install (dpkg -i, the agent's start)"
  mark "boot 2" "reboot (to the test's start, the agent's start)"
  if [[ -z "$host_checked" ]] && lines | grep -q '^VMTEST host-check'; then
    if host_check; then
      host_checked="VMTEST ok a backup from the host through its forwarded port 127.0.0.1:$port"
    else
      host_checked="VMTEST FAIL a backup from the host through its forwarded port 127.0.0.1:$port"
    fi
  fi
  mark "done" "checks"
  sleep 1
done
qemu_rc=0
wait $qemu || qemu_rc=$?
trap - EXIT
((qemu_rc == 124)) && echo "vm-boot: the VM did not finish within ${HAVEN_VM_TIMEOUT:-900} s"
phase "power off"
cpu_seconds
vm_cpu=$((cpu - cpu_before))

results=$( (lines | grep -v '^VMTEST token'; [[ -n "$host_checked" ]] && echo "$host_checked") )
sed -n 's/^VMTEST info /  /p; s/^VMTEST ok /PASS /p; s/^VMTEST FAIL /FAIL /p' <<<"$results"
echo "vm-boot: time of each phase (-accel $accel):"
printf '  %s\n' "${phases[@]}"
echo "vm-boot: $((SECONDS - started)) s in all; qemu used $vm_cpu CPU seconds; load average at the end: $(load)"
if grep -q '^VMTEST done' <<<"$results" && ! grep -q '^VMTEST FAIL' <<<"$results" \
    && [[ -n "$host_checked" ]]; then
  echo "PASS vm-boot"
else
  echo "FAIL vm-boot (console: $console)"
  tail -30 "$console" | tr -d '\r'
  exit 1
fi
