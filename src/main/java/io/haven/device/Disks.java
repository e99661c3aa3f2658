package io.haven.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The block devices of a system, read from {@code <root>/sys/block}, and which of them holds a
 * path. Loop, RAM, zram and device-mapper devices are left out unless something is mounted from
 * them; eMMC boot and RPMB areas are always left out (they are not where data lives), and so are
 * hidden disks: with NVMe multipath (CONFIG_NVME_MULTIPATH=y, as Home Assistant OS builds its
 * kernels) each controller's path to a namespace is a hidden disk ("nvme0c0n1", {@code hidden} =
 * 1) beside the one disk a user sees ("nvme0n1", below the virtual nvme-subsystem).
 */
public final class Disks {
  private static final long SECTOR = 512;
  private static final Pattern VIRTUAL = Pattern.compile("(loop|ram|zram|dm-)\\d+");
  private static final Pattern EMMC_AREA = Pattern.compile("mmcblk\\d+(boot\\d+|rpmb)");

  private final SysTree sys;
  private final MountTable mounts;

  /** Reads the system below {@code root} ("/" on a device); the mount table is read once, here. */
  public Disks(Path root) {
    this(new SysTree(root));
  }

  Disks(SysTree sys) {
    this.sys = sys;
    this.mounts = MountTable.read(sys);
  }

  /** Every disk, sorted by name; an empty list when sysfs is not there. */
  public List<Disk> list() {
    List<Disk> disks = new ArrayList<>();
    for (String name : sys.list("/sys/block")) {
      if (EMMC_AREA.matcher(name).matches()) {
        continue;
      }
      if (VIRTUAL.matcher(name).matches() && !mountedFrom(name)) {
        continue;
      }
      if (sys.read("/sys/block/" + name + "/hidden").map("1"::equals).orElse(false)) {
        continue;
      }
      disk(name).ifPresent(disks::add);
    }
    return disks;
  }

  /**
   * The disk that holds {@code path} (an absolute path as the device sees it): the mount with the
   * longest mount point above it, that mount's device, and the whole disk of that partition. Empty
   * for paths on file systems without a block device (tmpfs, overlay, network).
   */
  public Optional<Disk> holding(String path) {
    return mounts.holding(path)
        .flatMap(mount -> blockDeviceNamed(mount.majorMinor()))
        .flatMap(this::wholeDiskOf)
        .flatMap(this::disk);
  }

  /** The disk with kernel name {@code name}, if sysfs has it. */
  Optional<Disk> disk(String name) {
    String dir = "/sys/block/" + name;
    if (sys.resolve(dir).isEmpty()) {
      return Optional.empty();
    }
    long sectors = sys.read(dir + "/size").map(Disks::parseLong).orElse(0L);
    boolean removable = sys.read(dir + "/removable").map("1"::equals).orElse(false);
    Disk.Kind kind = kindOf(name, dir);
    return Optional.of(new Disk(name, kind, sectors * SECTOR, model(name, dir), removable));
  }

  private Disk.Kind kindOf(String name, String dir) {
    if (name.startsWith("mmcblk")) {
      String type = sys.read(dir + "/device/type").orElse("");
      return type.equals("MMC") ? Disk.Kind.EMMC : type.equals("SD") ? Disk.Kind.SD : Disk.Kind.OTHER;
    }
    if (name.startsWith("vd")) {
      return Disk.Kind.VIRTIO;
    }
    if (onUsb(dir)) {
      return Disk.Kind.USB;
    }
    if (name.startsWith("nvme")) {
      return Disk.Kind.NVME;
    }
    return name.startsWith("sd") ? Disk.Kind.SATA : Disk.Kind.OTHER;
  }

  /** A USB disk's device directory sits below a USB host controller ("/usb1/1-1/..."). */
  private boolean onUsb(String dir) {
    return sys.resolve(dir + "/device")
        .map(sys::devicePath)
        .map(path -> path.contains("/usb"))
        .orElse(false);
  }

  private String model(String name, String dir) {
    String attribute = name.startsWith("mmcblk") ? "/device/name" : "/device/model";
    return sys.read(dir + attribute).orElse("");
  }

  private boolean mountedFrom(String name) {
    return sys.read("/sys/block/" + name + "/dev").map(mounts::isMounted).orElse(false);
  }

  /** The block device (disk or partition) whose {@code dev} attribute is {@code majorMinor}. */
  private Optional<String> blockDeviceNamed(String majorMinor) {
    for (String name : sys.list("/sys/class/block")) {
      if (sys.read("/sys/class/block/" + name + "/dev").filter(majorMinor::equals).isPresent()) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /** A partition's directory sits inside its disk's directory; a disk is its own whole disk. */
  private Optional<String> wholeDiskOf(String name) {
    Optional<Path> dir = sys.resolve("/sys/class/block/" + name);
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    if (sys.resolve("/sys/class/block/" + name + "/partition").isEmpty()) {
      return Optional.of(name);
    }
    return Optional.ofNullable(dir.get().getParent()).map(p -> p.getFileName().toString());
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return 0L;
    }
  }
}
