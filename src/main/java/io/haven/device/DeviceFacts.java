package io.haven.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What Haven knows about the appliance at one moment: board, disks, USB devices and radios, and
 * where the data root and backup directory live. Serialises to JSON with {@link #toJson()}.
 */
public record DeviceFacts(
    Board board,
    List<Disk> disks,
    List<UsbDevice> usbDevices,
    List<Radio> radios,
    Place dataRoot,
    Place backupDir) {

  /**
   * A directory Haven uses: its path, the disk it is on ({@code null} when it is on no block
   * device, such as tmpfs) and its file system's space ({@code null} when it cannot be read).
   */
  public record Place(String path, Disk disk, Space space) {
    public Place {
      Objects.requireNonNull(path, "path");
    }
  }

  public DeviceFacts {
    Objects.requireNonNull(board, "board");
    disks = List.copyOf(disks);
    usbDevices = List.copyOf(usbDevices);
    radios = List.copyOf(radios);
    Objects.requireNonNull(dataRoot, "dataRoot");
    Objects.requireNonNull(backupDir, "backupDir");
  }

  /**
   * Reads the system below {@code root}. {@code dataRoot} and {@code backupDir} are real paths of
   * this machine: their space comes from the running kernel, their disk from the root's mount table
   * (link-free absolute paths are used when they exist, so the mount table sees the real place).
   */
  public static DeviceFacts collect(Path root, Path dataRoot, Path backupDir) {
    SysTree sys = new SysTree(root);
    Disks disks = new Disks(sys);
    UsbRadios usb = new UsbRadios(sys, RadioTable.load());
    return new DeviceFacts(Board.read(sys), disks.list(), usb.devices(), usb.radios(),
        place(disks, dataRoot), place(disks, backupDir));
  }

  /** Pretty-printed JSON, for {@code haven device --raw-json} and the hardware checks. */
  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("device facts did not serialise: a bug", e);
    }
  }

  private static Place place(Disks disks, Path path) {
    String where = canonical(path);
    Space space;
    try {
      space = FileSystemSpace.of(path);
    } catch (DeviceException e) {
      space = null;
    }
    return new Place(where, disks.holding(where).orElse(null), space);
  }

  private static String canonical(Path path) {
    try {
      if (Files.exists(path)) {
        return path.toRealPath().toString();
      }
      return path.toAbsolutePath().normalize().toString();
    } catch (java.io.IOException e) {
      return path.toAbsolutePath().normalize().toString();
    }
  }
}
