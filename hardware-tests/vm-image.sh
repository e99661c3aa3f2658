#!/usr/bin/env bash
# Builds (once) the Debian 12 tree the VM boot test boots: debootstrap --variant=minbase into a
# folder with systemd, Debian's kernel and initrd, a headless Java 17 and curl, networkd on the
# VM's NIC, and nothing the test does not use. Prints the tree's folder. The tree is cached under
# CACHE_DIR/bookworm-<key>, the key a hash of this file, so reruns (and vm-boot.sh's second
# call) reuse it.
# Usage: vm-image.sh CACHE_DIR
# Exit status: 0 with the folder on stdout, 3 when the Debian mirror cannot be reached (the
# caller skips), 1 on any other failure.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin
cache=$1
key=$(sha256sum "$0" | cut -c1-16)
tree="$cache/bookworm-$key"
if [[ -f "$tree.done" ]]; then
  echo "$tree"
  exit 0
fi

# The same Debian mirror apt uses on this machine.
mirror=$(sed -n 's/^URIs: *\(\S*\/debian\)\/\?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[[ -n "$mirror" ]] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' \
  /etc/apt/sources.list 2>/dev/null || true)
[[ -n "$mirror" ]] || mirror=http://deb.debian.org/debian
curl -fsS -m 20 -o /dev/null "$mirror/dists/bookworm/Release" \
  || { echo "the Debian mirror $mirror cannot be reached" >&2; exit 3; }

# Older trees of this cache are from an earlier version of this file.
rm -rf "$cache"/bookworm-*
mkdir -p "$cache"
# Only Depends are installed (no Recommends): systemd and its init, udev, the kernel (its
# initramfs-tools makes the initrd), the runtime Haven's package depends on, and curl for the
# API. networkd is part of systemd.
packages=systemd,systemd-sysv,udev,linux-image-amd64,openjdk-17-jre-headless,init-system-helpers,curl
echo "vm-image: debootstrap bookworm from $mirror (once; cached in $cache)" >&2
start=$SECONDS
log=$cache/debootstrap.log
failed() { tail -20 "$log" >&2; echo "vm-image: debootstrap failed (log: $log)" >&2; exit 1; }
# Two stages, so that the initrd's settings are in place before the kernel's package makes it:
# only the modules that mount a virtio disk's ext4 (Debian's default puts in most of the kernel's,
# 36 MB that the VM unpacks at each boot under emulation and that took minutes to make).
timeout "${HAVEN_VM_DEBOOTSTRAP_TIMEOUT:-900}" debootstrap --foreign --variant=minbase \
    --include="$packages" bookworm "$tree" "$mirror" >"$log" 2>&1 || failed
echo "vm-image: downloaded and unpacked after $((SECONDS - start)) s" >&2
install -d "$tree/etc/initramfs-tools/conf.d" "$tree/usr/share/initramfs-tools/modules.d"
echo MODULES=list >"$tree/etc/initramfs-tools/conf.d/haven-vm"
printf '%s\n' virtio_pci virtio_blk ext4 >"$tree/usr/share/initramfs-tools/modules.d/haven-vm"
# The root file system the VM boots from; the initrd's fsck hook reads its type here.
printf '/dev/vda / ext4 rw,relatime 0 1\n' >"$tree/etc/fstab"
timeout "${HAVEN_VM_DEBOOTSTRAP_TIMEOUT:-900}" chroot "$tree" /debootstrap/debootstrap --second-stage \
  >>"$log" 2>&1 || failed
echo "vm-image: debootstrap took $((SECONDS - start)) s" >&2

echo haven-vm >"$tree/etc/hostname"
# The VM's NIC gets its address from qemu's user network by DHCP, so the API's port forwarded
# to the host reaches it.
cat >"$tree/etc/systemd/network/20-vm.network" <<'EOF'
[Match]
Name=en*

[Network]
DHCP=ipv4
EOF
chroot "$tree" systemctl enable systemd-networkd.service >/dev/null 2>&1
# Timers and services that would only cost the VM's time (the console is the test's, not a
# login's).
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
    e2scrub_reap.service getty-static.service getty@.service serial-getty@.service; do
  ln -sf /dev/null "$tree/etc/systemd/system/$unit"
done
ls "$tree"/boot/vmlinuz-* "$tree"/boot/initrd.img-* >/dev/null
# A smaller tree is a faster image: no documentation, translations or package lists, and no
# kernel modules for hardware a qemu VM with virtio disks and network does not have (the initrd
# was made before, with all of them).
rm -rf "$tree"/usr/share/{doc,man,info,locale}/* "$tree"/var/lib/apt/lists/* \
  "$tree"/var/cache/apt/*.bin "$tree"/var/cache/apt/archives/*.deb
for version in "$tree"/lib/modules/*; do
  k=$version/kernel
  rm -rf "$k"/sound "$k"/net/{wireless,mac80211,bluetooth} \
    "$k"/drivers/{gpu,media,infiniband,staging,isdn,bluetooth,iio,usb,net/wireless,net/ethernet}
  depmod -b "$tree" "$(basename "$version")"
done
touch "$tree.done"
echo "$tree"
