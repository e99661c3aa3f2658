#!/usr/bin/env bash
# Boots Debian 12 under real systemd in qemu (TCG, no KVM needed), installs
# target/haven_<version>_all.deb, reboots and checks haven.service: active after boot, READY and
# STATUS seen by systemd, the API with the token file's token (in the VM and through a port
# forwarded to the host's 127.0.0.1), backups through the socket and through `ha backups new`, a
# restore, the watchdog restarting an agent frozen with kill -STOP, `systemctl stop` during a
# backup, and the journal. The checks run in the VM (vm/guest.sh) and print VMTEST lines on the
# serial console, which this script reads. The Debian tree is built once (vm-image.sh) and cached
# in target/vm-cache. Skips with its reason without root, qemu, debootstrap or mkfs.ext4.
set -euo pipefail
cd "$(dirname "$0")/.."
here=hardware-tests
skip() { echo "SKIP vm-boot: $*"; [[ -n "${HAVEN_TEST_DISALLOW_SKIP:-}" ]] && exit 1; exit 0; }
[[ $(id -u) == 0 ]] || skip "needs root (debootstrap, and mkfs.ext4 -d keeping root's files)"
for tool in qemu-system-x86_64 debootstrap mkfs.ext4 curl; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null \
    || skip "needs $tool (Debian: qemu-system-x86, debootstrap, e2fsprogs, curl)"
done
export PATH=$PATH:/usr/sbin:/sbin
deb=$(ls target/haven_*_all.deb 2>/dev/null | head -1)
[[ -n "$deb" ]] || { echo "FAIL vm-boot: no target/haven_*_all.deb; run mvn package" >&2; exit 1; }

started=$SECONDS
tree=$("$here/vm-image.sh" target/vm-cache)
echo "vm-boot: tree $tree ready after $((SECONDS - started)) s"

work=target/vm-run
rm -rf "$work" && mkdir -p "$work"
install -D -m 0644 "$deb" "$tree/opt/vmtest/haven.deb"
install -D -m 0755 "$here/vm/guest.sh" "$tree/opt/vmtest/guest.sh"
install -D -m 0644 "$here/vm/vmtest.service" "$tree/etc/systemd/system/vmtest.service"
ln -sf /etc/systemd/system/vmtest.service "$tree/etc/systemd/system/multi-user.target.wants/vmtest.service"
# TCG emulates the CPU many times slower than a board runs it: the JVM's start needs more than
# the unit's default 90 s start timeout, and the C1 compiler alone starts it sooner. A drop-in for
# this VM only; the unit under test is the one the package ships.
install -d "$tree/etc/systemd/system/haven.service.d"
printf '[Service]\nTimeoutStartSec=600\nEnvironment="HAVEN_JAVA_OPTS=-Xmx128m -XX:TieredStopAtLevel=1"\n' \
  >"$tree/etc/systemd/system/haven.service.d/vm.conf"
# The console carries the test's lines, not a login prompt.
ln -sf /dev/null "$tree/etc/systemd/system/serial-getty@ttyS0.service"
kernel=$(ls "$tree"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$tree"/boot/initrd.img-* | sort -V | tail -1)
mkfs.ext4 -q -F -L haven-vm -d "$tree" "$work/root.img" 3G
echo "vm-boot: image made after $((SECONDS - started)) s"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
console=$work/console.log
# TCG by default: the test must hold on machines without KVM (HAVEN_VM_ACCEL=kvm to try it).
accel=${HAVEN_VM_ACCEL:-tcg}
timeout "${HAVEN_VM_TIMEOUT:-900}" qemu-system-x86_64 -machine q35,accel=$accel -cpu max -smp 2 -m 1536 -nographic \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 root=/dev/vda rw quiet systemd.show_status=false" \
  -drive file="$work/root.img",format=raw,if=virtio \
  -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$port-:8470 -device virtio-net-pci,netdev=net0 \
  -serial file:"$console" -monitor none -display none </dev/null >"$work/qemu.log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT

# The VM's lines, without the journal's "[  12.3] guest.sh[294]: " in front.
lines() { tr -d '\r' 2>/dev/null <"$console" | sed -n 's/^.*\(VMTEST .*\)$/\1/p'; }

# The host's own check: once the VM prints its token, the API must answer through the port.
host_checked=
while kill -0 $qemu 2>/dev/null; do
  if [[ -z "$host_checked" ]] && lines | grep -q '^VMTEST host-check'; then
    token=$(lines | sed -n 's/^VMTEST token //p' | tail -1)
    if curl -fsS -m 20 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/backups" \
        | grep -q '"result":"ok"'; then
      host_checked="VMTEST ok API through the host's forwarded port 127.0.0.1:$port"
    else
      host_checked="VMTEST FAIL API through the host's forwarded port 127.0.0.1:$port"
    fi
    echo "$host_checked"
  fi
  sleep 2
done
wait $qemu || echo "vm-boot: qemu ended with $? (124 = the time limit)"
trap - EXIT

lines | grep -v '^VMTEST token'
echo "vm-boot: $((SECONDS - started)) s in all"
results=$( (lines; echo "$host_checked") )
if grep -q '^VMTEST done' <<<"$results" && ! grep -q '^VMTEST FAIL' <<<"$results" \
    && [[ -n "$host_checked" ]]; then
  echo "PASS vm-boot"
else
  echo "FAIL vm-boot (console: $console)"; tail -30 "$console" | tr -d '\r'
  exit 1
fi
