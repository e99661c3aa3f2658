package io.haven.device;

import java.util.Objects;

/**
 * One whole block device: its kernel name ("mmcblk0", "nvme0n1", "sda"), what kind of storage it
 * is, its size in bytes, its model ("" when the kernel does not say) and whether it is removable.
 */
public record Disk(String name, Kind kind, long sizeBytes, String model, boolean removable) {
  /** Kinds of storage; they decide how hard Haven may write to a disk and what a user sees. */
  public enum Kind {
    EMMC,
    SD,
    NVME,
    USB,
    VIRTIO,
    /** sd* that is not on USB: SATA, SAS or another SCSI transport. */
    SATA,
    OTHER
  }

  public Disk {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(model, "model");
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("bad disk name: " + name);
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("size < 0 for " + name + ": " + sizeBytes);
    }
  }

  /** The device node, as a user would name it: "/dev/mmcblk0". */
  public String devicePath() {
    return "/dev/" + name;
  }
}
