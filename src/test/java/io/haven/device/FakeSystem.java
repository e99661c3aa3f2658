package io.haven.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Builds a directory laid out like a device's sysfs, procfs and /dev, with the same links the
 * kernel makes (/sys/block/X and /sys/class/block/X point into /sys/devices/...).
 */
final class FakeSystem {
  final Path root;

  FakeSystem(Path root) {
    this.root = root;
  }

  Path at(String devicePath) {
    return root.resolve(devicePath.substring(1));
  }

  FakeSystem file(String devicePath, String content) {
    try {
      Path file = at(devicePath);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FakeSystem dir(String devicePath) {
    try {
      Files.createDirectories(at(devicePath));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FakeSystem link(String devicePath, String target) {
    try {
      Path link = at(devicePath);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The firmware's model string ends with a NUL, as the device tree stores it. */
  FakeSystem deviceTree(String model, String compatible) {
    file("/sys/firmware/devicetree/base/model", model + "\0");
    file("/sys/firmware/devicetree/base/compatible", compatible + "\0");
    return link("/proc/device-tree", "/sys/firmware/devicetree/base");
  }

  /**
   * A whole disk {@code name} whose device directory is /sys/devices/{@code deviceDir}; the
   * attributes in {@code deviceAttributes} ("type=SD") go into that device directory.
   */
  FakeSystem disk(String name, String deviceDir, long sectors, String majorMinor,
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

  FakeSystem partition(String disk, String deviceDir, String name, String majorMinor) {
    String dir = "/sys/devices/" + deviceDir + "/block/" + disk + "/" + name;
    file(dir + "/partition", name.replaceAll("\\D*(\\d+)$", "$1") + "\n");
    file(dir + "/dev", majorMinor + "\n");
    return link("/sys/class/block/" + name, "../../devices/" + deviceDir + "/block/" + disk + "/" + name);
  }

  private int mountId = 20;

  FakeSystem mount(String majorMinor, String mountPoint, String fsType) {
    String line = (mountId++) + " 1 " + majorMinor + " / " + mountPoint.replace(" ", "\\040")
        + " rw,relatime shared:1 - " + fsType + " /dev/x rw\n";
    try {
      Path file = at("/proc/self/mountinfo");
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A USB serial device {@code name} ("1-1.2") below {@code hostDir}, with its tty: "ttyUSB0"
   * directly in the interface directory, "ttyACM0" below tty/ as cdc_acm places it.
   */
  FakeSystem usb(String hostDir, String name, String vidPid, String manufacturer, String product,
      String serial, String tty) {
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
    return link("/sys/bus/usb/devices/" + name + ":1.0", "../../../devices/" + hostDir + "/" + name + "/" + name + ":1.0");
  }

  FakeSystem byId(String name, String tty) {
    return link("/dev/serial/by-id/" + name, "../../" + tty);
  }
}
