package io.haven.restore;

import io.haven.archive.Part;
import io.haven.backup.NetworkMount;
import io.haven.backup.SourceFacts;
import io.haven.device.Board;
import io.haven.device.DeviceFacts;
import io.haven.device.Disk;
import io.haven.device.RadioFinding;
import io.haven.device.Space;
import io.haven.failure.Sizes;
import io.haven.tree.DataRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The preflight's checks, one method each; see {@link Preflight}. */
final class PreflightChecks {
  private PreflightChecks() {}

  static List<Finding> space(DeviceFacts target, long needed, boolean exact,
      Optional<SourceFacts> source) {
    Space space = target.dataRoot().space();
    String where = target.dataRoot().path();
    if (space == null) {
      return List.of(Finding.warning("space", "The free space of " + where + " cannot be read;"
          + " the restore needs " + Sizes.human(needed) + ".", "Create the data root, or check"
          + " data_root in the config."));
    }
    List<Finding> out = new ArrayList<>();
    String basis = exact ? "" : " (at least: the backup records no unpacked size)";
    if (space.freeBytes() < needed) {
      out.add(Finding.blocking("space", "Not enough space on " + where + ": the restore needs "
          + Sizes.human(needed) + basis + ", " + Sizes.human(space.freeBytes()) + " is free.",
          "Free space, use a larger disk, or restore fewer parts (-f/-a)."));
    } else {
      out.add(Finding.info("space", "The restore needs " + Sizes.human(needed) + basis + "; "
          + Sizes.human(space.freeBytes()) + " is free on " + where + "."));
    }
    long used = source.map(SourceFacts::diskUsed).orElse(-1L);
    if (used > 0 && space.totalBytes() < used) {
      out.add(Finding.warning("space", "The source device used " + Sizes.human(used) + " of its"
          + " data disk; the target's whole file system is " + Sizes.human(space.totalBytes())
          + ".", "Use a larger disk, or expect no room to grow after the restore."));
    } else if (used > 0 && space.freeBytes() < used) {
      out.add(Finding.warning("space", "The source device used " + Sizes.human(used) + " of its"
          + " data disk; " + Sizes.human(space.freeBytes()) + " is free here.",
          "The restore fits, but leaves less room than the source had; free space afterwards."));
    }
    return out;
  }

  static List<Finding> dataDisk(DeviceFacts target, Optional<SourceFacts> source) {
    Disk disk = target.dataRoot().disk();
    List<Finding> out = new ArrayList<>();
    if (disk == null) {
      out.add(Finding.info("data_disk", "The data root " + target.dataRoot().path() + " is on no"
          + " local disk Haven can name (tmpfs, overlay or network)."));
      return out;
    }
    Optional<Disk> nvme = target.disks().stream()
        .filter(d -> d.kind() == Disk.Kind.NVME && !d.name().equals(disk.name())).findFirst();
    boolean slow = disk.kind() == Disk.Kind.EMMC || disk.kind() == Disk.Kind.SD;
    if (slow && nvme.isPresent()) {
      out.add(Finding.warning("data_disk", "The data root is on " + describe(disk) + " while an"
          + " NVMe (" + describe(nvme.get()) + ") is present" + onBoard(target) + ": the restore"
          + " would land on the " + label(disk.kind()) + ", not the NVMe.", "To use the NVMe,"
          + " move the data disk onto it first (Home Assistant OS: Settings > System > Storage >"
          + " Move data disk; otherwise set data_root to a directory on it), then restore."));
    }
    Optional<Disk> was = source.flatMap(SourceFacts::dataDisk);
    if (was.isPresent() && slower(disk.kind(), was.get().kind())) {
      out.add(Finding.warning("data_disk", "The backup came from " + describe(was.get())
          + "; the target's data disk is " + describe(disk) + ", which is slower and wears"
          + " faster under the recorder's writes.", "Consider lowering recorder purge_keep_days"
          + " or using faster storage."));
    }
    if (out.isEmpty()) {
      out.add(Finding.info("data_disk", "The data root is on " + describe(disk)
          + was.map(w -> " (the backup came from " + describe(w) + ")").orElse("") + "."));
    }
    return out;
  }

  static List<Finding> radios(List<RadioFinding> compared, int inBackup) {
    List<Finding> out = new ArrayList<>();
    for (RadioFinding f : compared) {
      if (f instanceof RadioFinding.Missing m) {
        out.add(Finding.blocking("radio", m.advice(), (m.before().onUsb() ? "Plug in "
            : "Fit (or enable the UART of) ") + m.before().model()
            + " and run the preflight again; or restore with --force and re-pair its devices."));
      } else if (f instanceof RadioFinding.ModelChanged c) {
        out.add(Finding.warning("radio", c.advice(), migrationSteps(c)));
      } else if (f instanceof RadioFinding.PortChanged p) {
        out.add(Finding.warning("radio", p.advice(), "After the restore, reconfigure the"
            + " integration's serial port (Settings > Devices & services)."));
      } else {
        out.add(Finding.info("radio", f.advice()));
      }
    }
    if (compared.isEmpty()) {
      out.add(Finding.info("radio", inBackup == 0 ? "The backup used no radios."
          : "All " + inBackup + " radio(s) the backup used are attached, on the same ports."));
    }
    return out;
  }

  private static String migrationSteps(RadioFinding.ModelChanged c) {
    if (c.before().protocol().contains("zwave")) {
      return "After the restore: back up the old stick's NVM in Z-Wave JS, then restore it onto"
          + " the new one (Z-Wave JS UI: Advanced > NVM backup/restore).";
    }
    return "After the restore: ZHA > Configure > Migrate radio (or Zigbee2MQTT's coordinator"
        + " backup) to move the network onto the new radio; keep the old stick at hand.";
  }

  static List<Finding> https(SourceFacts source, List<Part> parts, DataRoot root) {
    if (!source.https()) {
      return List.of();
    }
    String cert = source.certificate().get();
    Optional<Path> local = localPath(cert, root);
    boolean restored = cert.startsWith("/ssl/") && parts.contains(Part.folder("ssl"));
    if (restored) {
      return List.of(Finding.info("https", "Home Assistant serves https with " + cert + "; the"
          + " certificate comes back with the ssl folder. If the new device has another host"
          + " name or address, renew the certificate for it."));
    }
    if (local.isPresent() && Files.isRegularFile(local.get())) {
      return List.of(Finding.info("https", "Home Assistant serves https with " + cert + ", which"
          + " is present on the target (" + local.get() + ")."));
    }
    return List.of(Finding.warning("https", "Home Assistant serves https with " + cert
        + local.map(p -> " (" + p + ")").orElse("") + ", but this restore does not bring the"
        + " certificate and the target does not have it: Home Assistant's web server will not"
        + " start.", "Restore the ssl folder too (-f ssl), copy the certificate and key into"
        + " place, or remove ssl_certificate/ssl_key from the http: section."));
  }

  /** Where Home Assistant's path is in this data root; empty for "!secret name" and the like. */
  private static Optional<Path> localPath(String path, DataRoot root) {
    if (path.startsWith("/ssl/")) {
      return Optional.of(root.dirOf(Part.folder("ssl")).resolve(path.substring(5)));
    }
    if (path.startsWith("/config/")) {
      return Optional.of(root.dirOf(Part.homeAssistant()).resolve(path.substring(8)));
    }
    return path.startsWith("/") ? Optional.of(Path.of(path)) : Optional.empty();
  }

  static List<Finding> networkStorage(SourceFacts source) {
    List<Finding> out = new ArrayList<>();
    for (NetworkMount m : source.networkStorage()) {
      out.add(Finding.warning("network_storage", "The source used network storage '" + m.name()
          + "' (" + m.type() + " " + m.source() + (m.usage().isEmpty() ? "" : ", for "
          + m.usage()) + "); a restore does not bring its connection or credentials.",
          "Reconnect it after the restore (Settings > System > Storage, or the system's mounts)"
              + " with its user name and password."));
    }
    return out;
  }

  private static boolean slower(Disk.Kind now, Disk.Kind was) {
    return rank(now) < rank(was);
  }

  private static int rank(Disk.Kind kind) {
    switch (kind) {
      case NVME:
        return 4;
      case SATA:
      case VIRTIO:
        return 3;
      case EMMC:
      case USB:
        return 2;
      default:
        return 1;
    }
  }

  private static String onBoard(DeviceFacts target) {
    return target.board().kind() == Board.Kind.HOME_ASSISTANT_YELLOW
        ? " on this Home Assistant Yellow" : "";
  }

  static String describe(Disk d) {
    return label(d.kind()) + " " + d.name() + (d.model().isBlank() ? "" : " " + d.model().strip())
        + ", " + Sizes.human(d.sizeBytes());
  }

  private static String label(Disk.Kind kind) {
    switch (kind) {
      case EMMC:
        return "eMMC";
      case SD:
        return "SD card";
      case NVME:
        return "NVMe";
      case VIRTIO:
        return "virtio disk";
      case SATA:
        return "SATA disk";
      case USB:
        return "USB disk";
      default:
        return "disk";
    }
  }
}
