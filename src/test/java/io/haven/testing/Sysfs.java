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

  /** The model and compatible strings of Home Assistant OS's CM4 Yellow device tree. */
  public static final String YELLOW_MODEL = "Raspberry Pi Compute Module 4 on Home Assistant Yellow";
  public static final String YELLOW_COMPATIBLE =
      "raspberrypi,4-compute-module-ha-yellow\0raspberrypi,4-compute-module\0brcm,bcm2711";
  /** bcm2711's PL011 UARTs: uart0 (GPIO 14/15 or Bluetooth) and uart4 (the Yellow's radio). */
  public static final String UART0 = "/soc/serial@7e201000";
  public static final String UART4 = "/soc/serial@7e201800";
  /** bcm2711's mini UART (uart1), serial0 on a Pi 3 or 4 without a Bluetooth overlay. */
  public static final String MINI_UART = "/soc/serial@7e215040";

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
   * A Home Assistant Yellow (CM4, 32 GB eMMC, 256 GB NVMe behind Home Assistant OS's NVMe
   * multipath, its built-in radio on uart4). {@code nvmeMount} is where the NVMe
   * is mounted; null leaves it unmounted, so everything (the data root too) is on the eMMC.
   */
  public static Sysfs yellow(Path root, String nvmeMount) {
    Sysfs s = new Sysfs(root)
        .deviceTree(YELLOW_MODEL, YELLOW_COMPATIBLE)
        .yellowRadioUart()
        .disk("mmcblk0", CM4_EMMC, 61_071_360, "179:0", "type=MMC", "name=DG4032")
        .partition("mmcblk0", CM4_EMMC, "mmcblk0p8", "179:8")
        .nvmeMultipath(CM4_NVME, 500_118_192, "Samsung SSD 980 250GB", 1)
        .mount("179:8", "/", "ext4");
    return nvmeMount == null ? s : s.mount("259:2", nvmeMount, "ext4");
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

  /**
   * Another interface ("1.1") of USB device {@code name} with serial port {@code tty}, its
   * bInterfaceNumber {@code number} ("01") and, unless null, its {@code interface} string.
   */
  public Sysfs usbInterface(String hostDir, String name, String config, String number,
      String description, String tty) {
    String relative = hostDir + "/" + name + "/" + name + ":" + config;
    String iface = "/sys/devices/" + relative;
    file(iface + "/bInterfaceNumber", number + "\n");
    if (description != null) {
      file(iface + "/interface", description + "\n");
    }
    dir(tty.startsWith("ttyACM") ? iface + "/tty/" + tty : iface + "/" + tty);
    return link("/sys/bus/usb/devices/" + name + ":" + config, "../../../devices/" + relative);
  }

  /** Sets an interface's {@code interface} string ("HubZ Z-Wave Com Port"). */
  public Sysfs usbInterfaceName(String hostDir, String name, String config, String description) {
    return file("/sys/devices/" + hostDir + "/" + name + "/" + name + ":" + config + "/interface",
        description + "\n");
  }

  /**
   * An NVMe drive as a kernel with CONFIG_NVME_MULTIPATH=y shows it: the disk a user sees,
   * {@code nvme0n1}, lives below /sys/devices/virtual/nvme-subsystem/nvme-subsys0 and its device
   * link is that subsystem (which carries model and serial); the controller {@code controllerDir}
   * ("pci.../nvme/nvme0") holds the path device {@code nvme0c0n1} with {@code hidden} = 1. Both
   * are in /sys/block. The path device is added first (259:0), then the disk (259:1); partition
   * n is 259:(1+n) and sits in nvme0n1's directory.
   */
  public Sysfs nvmeMultipath(String controllerDir, long sectors, String model, int partitions) {
    String subsystem = "virtual/nvme-subsystem/nvme-subsys0";
    String head = "/sys/devices/" + subsystem + "/nvme0n1";
    file("/sys/devices/" + subsystem + "/model", model + "\n");
    file("/sys/devices/" + subsystem + "/serial", "S5GXNF0R123456\n");
    link("/sys/devices/" + subsystem + "/nvme0", "../../../" + controllerDir);
    file(head + "/size", sectors + "\n").file(head + "/dev", "259:1\n")
        .file(head + "/removable", "0\n").file(head + "/hidden", "0\n")
        .link(head + "/device", "../../nvme-subsys0");
    link("/sys/block/nvme0n1", "../devices/" + subsystem + "/nvme0n1");
    link("/sys/class/block/nvme0n1", "../../devices/" + subsystem + "/nvme0n1");
    for (int p = 1; p <= partitions; p++) {
      String part = head + "/nvme0n1p" + p;
      file(part + "/partition", p + "\n").file(part + "/dev", "259:" + (1 + p) + "\n");
      link("/sys/class/block/nvme0n1p" + p,
          "../../devices/" + subsystem + "/nvme0n1/nvme0n1p" + p);
    }
    String path = "/sys/devices/" + controllerDir + "/nvme0c0n1";
    file("/sys/devices/" + controllerDir + "/model", model + "\n");
    file(path + "/size", sectors + "\n").file(path + "/dev", "259:0\n")
        .file(path + "/removable", "0\n").file(path + "/hidden", "1\n")
        .link(path + "/device", "../../nvme0");
    link("/sys/block/nvme0c0n1", "../devices/" + controllerDir + "/nvme0c0n1");
    return link("/sys/class/block/nvme0c0n1", "../../devices/" + controllerDir + "/nvme0c0n1");
  }

  /** A device-tree node {@code node} ("/soc/serial@7e201000") with string properties "key=value". */
  public Sysfs dtNode(String node, String... properties) {
    dir("/sys/firmware/devicetree/base" + node);
    for (String property : properties) {
      String[] kv = property.split("=", 2);
      file("/sys/firmware/devicetree/base" + node + "/" + kv[0], kv[1] + "\0");
    }
    return this;
  }

  /** A device-tree alias ("serial0") naming {@code node}. */
  public Sysfs dtAlias(String alias, String node) {
    return file("/sys/firmware/devicetree/base/aliases/" + alias, node + "\0");
  }

  /** The Yellow's radio UART as its device tree has it: uart4, enabled, with the serial1 alias. */
  public Sysfs yellowRadioUart() {
    return dtNode(UART4, "compatible=arm,pl011\0arm,primecell", "status=okay")
        .dtAlias("serial1", UART4);
  }

  /**
   * A Pi 4's UARTs as its base device tree has them: serial0 the mini UART on the header, uart0
   * (serial1) driving Bluetooth. {@code gpioPl011} applies what the disable-bt overlay does:
   * serial0 becomes uart0 on GPIO 14/15 and the mini UART is disabled.
   */
  public Sysfs piUarts(boolean gpioPl011) {
    dtNode(UART0, "compatible=arm,pl011\0arm,primecell", "status=okay");
    dtNode(UART0 + "/bluetooth", "compatible=brcm,bcm43438-bt", "status=okay");
    dtNode(MINI_UART, "compatible=brcm,bcm2835-aux-uart", "status=" + (gpioPl011 ? "disabled" : "okay"));
    return dtAlias("serial0", gpioPl011 ? UART0 : MINI_UART)
        .dtAlias("serial1", gpioPl011 ? MINI_UART : UART0);
  }

  /** The RaspBee II's PCF85063A clock on i2c_arm, as the i2c-rtc overlay adds it. */
  public Sysfs raspBeeIIClock() {
    return dtNode("/soc/i2c@7e804000", "compatible=brcm,bcm2711-i2c\0brcm,bcm2835-i2c", "status=okay")
        .dtNode("/soc/i2c@7e804000/pcf85063a@51", "compatible=nxp,pcf85063a", "status=okay")
        .dtAlias("i2c1", "/soc/i2c@7e804000");
  }

  public Sysfs byId(String name, String tty) {
    return link("/dev/serial/by-id/" + name, "../../" + tty);
  }
}
