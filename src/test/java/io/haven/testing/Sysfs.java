package io.haven.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Builds a directory laid out like a device's sysfs, procfs and /dev, with the same links the
 * kernel makes (/sys/block/X and /sys/class/block/X point into /sys/devices/...): boards, disks,
 * mounts and USB radios, piece by piece or as whole appliances.
 */
public final class Sysfs {
  static final String PI_SD = "platform/emmc2bus/fe340000.mmc/mmc_host/mmc0/mmc0:aaaa";
  static final String PI_USB = "platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb1/1-1";
  static final String CM4_EMMC = "platform/emmc2bus/fe340000.mmc/mmc_host/mmc0/mmc0:0001";
  static final String CM4_NVME = "platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/nvme/nvme0";
  public static final String CONBEE_BY_ID =
      "usb-dresden_elektronik_ingenieurtechnik_GmbH_ConBee_II_DE2654321-if00";
  public static final String ZSTICK_BY_ID = "usb-0658_0200-if00";

  public final Path root;
  private int mountId = 20;

  private Sysfs(Path root) {
    this.root = root;
  }

  /** Nothing yet below {@code root}. */
  public static Sysfs empty(Path root) {
    return new Sysfs(root);
  }

  /** A Raspberry Pi 4 whose SD card holds "/" and so {@code dataDir}. No radios yet. */
  public static Sysfs pi4(Path root) {
    return new Sysfs(root)
        .deviceTree("Raspberry Pi 4 Model B Rev 1.5", "raspberrypi,4-model-b\0brcm,bcm2711")
        .disk("mmcblk0", PI_SD, 62_333_952, "179:0", "type=SD", "name=SC32G")
        .partition("mmcblk0", PI_SD, "mmcblk0p2", "179:2")
        .mount("179:2", "/", "ext4");
  }

  /** The Pi 4's ConBee II (Zigbee) on ttyACM0 and Aeotec Z-Stick 7 (Z-Wave) on ttyACM1. */
  public Sysfs withConBeeAndZStick() {
    return usb(PI_USB, "1-1.2", "1cf1:0030", "dresden elektronik ingenieurtechnik GmbH",
        "ConBee II", "DE2654321", "ttyACM0")
        .usb(PI_USB, "1-1.3", "0658:0200", "", "", "", "ttyACM1")
        .byId(CONBEE_BY_ID, "ttyACM0")
        .byId(ZSTICK_BY_ID, "ttyACM1");
  }

  /**
   * A Home Assistant Yellow (CM4, 32 GB eMMC, 256 GB NVMe). {@code nvmeMount} is where the NVMe
   * is mounted; null leaves it unmounted, so everything (the data root too) is on the eMMC.
   */
  public static Sysfs yellow(Path root, String nvmeMount) {
    Sysfs s = new Sysfs(root)
        .deviceTree("Raspberry Pi Compute Module 4 Rev 1.0",
            "home-assistant,yellow\0raspberrypi,4-compute-module\0brcm,bcm2711")
        .disk("mmcblk0", CM4_EMMC, 61_071_360, "179:0", "type=MMC", "name=DG4032")
        .partition("mmcblk0", CM4_EMMC, "mmcblk0p8", "179:8")
        .disk("nvme0n1", CM4_NVME, 500_118_192, "259:0", "model=Samsung SSD 980 250GB")
        .partition("nvme0n1", CM4_NVME, "nvme0n1p1", "259:1")
        .mount("179:8", "/", "ext4");
    return nvmeMount == null ? s : s.mount("259:1", nvmeMount, "ext4");
  }

  public Sysfs file(String devicePath, String content) {
    try {
      Path file = at(devicePath);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Sysfs dir(String devicePath) {
    try {
      Files.createDirectories(at(devicePath));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Sysfs link(String devicePath, String target) {
    try {
      Path link = at(devicePath);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A line of /proc/self/mountinfo, as the kernel writes it. */
  public Sysfs mount(String majorMinor, String mountPoint, String fsType) {
    return mount(majorMinor, mountPoint, fsType, "/dev/x");
  }

  public Sysfs mount(String majorMinor, String mountPoint, String fsType, String source) {
    String line = (mountId++) + " 1 " + majorMinor + " / " + mountPoint.replace(" ", "\\040")
        + " rw,relatime shared:1 - " + fsType + " " + source + " rw\n";
    try {
      Path file = at("/proc/self/mountinfo");
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path at(String devicePath) {
    return root.resolve(devicePath.substring(1));
  }

  /** The firmware's model string ends with a NUL, as the device tree stores it. */
  public Sysfs deviceTree(String model, String compatible) {
    file("/sys/firmware/devicetree/base/model", model + "\0");
    file("/sys/firmware/devicetree/base/compatible", compatible + "\0");
    return link("/proc/device-tree", "/sys/firmware/devicetree/base");
  }

  /**
   * A whole disk {@code name} whose device directory is /sys/devices/{@code deviceDir}; the
   * attributes in {@code deviceAttributes} ("type=SD") go into that device directory.
   */
  public Sysfs disk(String name, String deviceDir, long sectors, String majorMinor,
      String... deviceAttributes) {
    String dir = "/sys/devices/" + deviceDir + "/block/" + name;
    file(dir + "/size", sectors + "\n");
    file(dir + "/dev", majorMinor + "\n");
    file(dir + "/removable", "0\n");
    link(dir + "/device", "../../../" + deviceDir.substring(deviceDir.lastIndexOf('/') + 1));
    for (String attribute : deviceAttributes) {
      String[] kv = attribute.split("=", 2);
      file("/sys/devices/" + deviceDir + "/" + kv[0], kv[1] + "\n");
    }
    link("/sys/block/" + name, "../devices/" + deviceDir + "/block/" + name);
    return link("/sys/class/block/" + name, "../../devices/" + deviceDir + "/block/" + name);
  }

  public Sysfs partition(String disk, String deviceDir, String name, String majorMinor) {
    String dir = "/sys/devices/" + deviceDir + "/block/" + disk + "/" + name;
    file(dir + "/partition", name.replaceAll("\\D*(\\d+)$", "$1") + "\n");
    file(dir + "/dev", majorMinor + "\n");
    return link("/sys/class/block/" + name,
        "../../devices/" + deviceDir + "/block/" + disk + "/" + name);
  }

  /**
   * A USB serial device {@code name} ("1-1.2") below {@code hostDir}, with its tty: "ttyUSB0"
   * directly in the interface directory, "ttyACM0" below tty/ as cdc_acm places it.
   */
  public Sysfs usb(String hostDir, String name, String vidPid, String manufacturer,
      String product, String serial, String tty) {
    String dir = "/sys/devices/" + hostDir + "/" + name;
    file(dir + "/idVendor", vidPid.substring(0, 4) + "\n");
    file(dir + "/idProduct", vidPid.substring(5) + "\n");
    file(dir + "/manufacturer", manufacturer + "\n");
    file(dir + "/product", product + "\n");
    file(dir + "/serial", serial + "\n");
    String iface = dir + "/" + name + ":1.0";
    file(iface + "/bInterfaceNumber", "00\n");
    dir(tty.startsWith("ttyACM") ? iface + "/tty/" + tty : iface + "/" + tty);
    link("/sys/bus/usb/devices/" + name, "../../../devices/" + hostDir + "/" + name);
    return link("/sys/bus/usb/devices/" + name + ":1.0",
        "../../../devices/" + hostDir + "/" + name + "/" + name + ":1.0");
  }

  public Sysfs byId(String name, String tty) {
    return link("/dev/serial/by-id/" + name, "../../" + tty);
  }
}
