#!/usr/bin/env bash
# Builds (once) the Debian 12 tree the VM boot test boots: debootstrap into a folder with systemd,
# Debian's kernel and initrd and a headless Java 17. Prints the tree's folder. The tree is cached
# under target/vm-cache/<key>, where the key is a hash of this file, so reruns reuse it.
# Usage: vm-image.sh CACHE_DIR
set -euo pipefail
cache=$1
key=$(sha256sum "$0" | cut -c1-16)
tree="$cache/bookworm-$key"
if [[ -f "$tree.done" ]]; then
  echo "$tree"
  exit 0
fi

# The same Debian mirror apt uses on this machine.
mirror=$(sed -n 's/^URIs: *\(\S*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[[ -n "$mirror" ]] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' \
  /etc/apt/sources.list 2>/dev/null || true)
[[ -n "$mirror" ]] || { echo "vm-image: no Debian mirror in /etc/apt/sources.list*" >&2; exit 1; }

rm -rf "$tree" "$tree.done"
mkdir -p "$cache"
packages=systemd,systemd-sysv,udev,linux-image-amd64,openjdk-17-jre-headless,init-system-helpers
packages+=,curl,ca-certificates,procps,iproute2,python3-minimal
echo "vm-image: debootstrap bookworm from $mirror (several minutes, once)" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$tree" "$mirror" >"$cache/debootstrap.log" 2>&1 \
  || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }

# A root file system on /dev/vda, a console on ttyS0, no password for the console's root login.
echo haven-vm >"$tree/etc/hostname"
printf '/dev/vda / ext4 rw,relatime 0 1\n' >"$tree/etc/fstab"
sed -i 's/^root:[^:]*:/root::/' "$tree/etc/shadow"
# Debian's kernel package leaves vmlinuz and initrd.img links at the root of the tree.
ls "$tree"/boot/vmlinuz-* "$tree"/boot/initrd.img-* >/dev/null
apt_clean="$tree/var/cache/apt/archives"
rm -f "$apt_clean"/*.deb
touch "$tree.done"
echo "$tree"
