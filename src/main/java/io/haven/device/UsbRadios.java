package io.haven.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The USB devices of a system ({@code <root>/sys/bus/usb/devices}) and the radios among them,
 * recognised by the table in {@code radios.tsv}, one per serial interface; radios that are not on
 * USB (a Home Assistant Yellow's, a RaspBee on a Pi's GPIO header) come from the device tree.
 * {@link #compare} tells what changed between a backup's radios and today's.
 */
public final class UsbRadios {
  /** Device entries are "1-1" or "1-1.4"; interfaces ("1-1:1.0") and root hubs ("usb1") differ. */
  private static final Pattern DEVICE = Pattern.compile("\\d+-\\d+(\\.\\d+)*");
  private static final Pattern TTY = Pattern.compile("tty(USB|ACM)\\d+");

  private final SysTree sys;
  private final RadioTable table;

  public UsbRadios(Path root) {
    this(new SysTree(root), RadioTable.load());
  }

  UsbRadios(SysTree sys, RadioTable table) {
    this.sys = sys;
    this.table = table;
  }

  /** Every USB device (root hubs excluded), in bus order. */
  public List<UsbDevice> devices() {
    Map<String, String> byId = byIdNames();
    List<UsbDevice> devices = new ArrayList<>();
    for (String name : sys.list("/sys/bus/usb/devices")) {
      if (DEVICE.matcher(name).matches()) {
        device("/sys/bus/usb/devices/" + name, byId).ifPresent(devices::add);
      }
    }
    return devices;
  }

  /** The known radios attached now: those on the board or its GPIO header first, then USB. */
  public List<Radio> radios() {
    List<Radio> radios = new ArrayList<>(DeviceTreeRadios.find(sys, Board.read(sys)));
    for (UsbDevice device : devices()) {
      radios.addAll(table.match(device));
    }
    return radios;
  }

  /**
   * What differs between the radios a backup was made with and those attached now. The same stick
   * (same USB serial or by-id name) is paired first, then the same model, then any radio with a
   * protocol in common; what is left over is missing (from the backup) or added (now). Unknown
   * serial adapters attached now are not reported as added.
   */
  public static List<RadioFinding> compare(List<Radio> backup, List<Radio> now) {
    return new RadioPairing(backup, now).findings();
  }

  private Optional<UsbDevice> device(String dir, Map<String, String> byId) {
    Optional<String> vendor = sys.read(dir + "/idVendor").filter(UsbDevice::isHexId);
    Optional<String> product = sys.read(dir + "/idProduct").filter(UsbDevice::isHexId);
    if (vendor.isEmpty() || product.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new UsbDevice(vendor.get(), product.get(),
        sys.read(dir + "/manufacturer").orElse(""), sys.read(dir + "/product").orElse(""),
        sys.read(dir + "/serial").orElse(""), serialPorts(dir, byId)));
  }

  /**
   * The device's interfaces ("1-1:1.0", "1-1:1.1") that have a serial port. ttyUSB* sits in the
   * interface directory (cp210x, ch341); ttyACM* one level down in tty/ (cdc_acm).
   */
  private List<UsbInterface> serialPorts(String dir, Map<String, String> byId) {
    String name = dir.substring(dir.lastIndexOf('/') + 1);
    List<UsbInterface> ports = new ArrayList<>();
    for (String child : sys.list(dir)) {
      if (!child.startsWith(name + ":")) {
        continue;
      }
      String iface = dir + "/" + child;
      Optional<String> tty = firstTty(sys.list(iface)).or(() -> firstTty(sys.list(iface + "/tty")));
      if (tty.isEmpty()) {
        continue;
      }
      String port = "/dev/" + tty.get();
      ports.add(new UsbInterface(sys.read(iface + "/bInterfaceNumber").orElse(""),
          sys.read(iface + "/interface").orElse(""), port, byId.getOrDefault(port, "")));
    }
    return ports;
  }

  private static Optional<String> firstTty(List<String> names) {
    return names.stream().filter(n -> TTY.matcher(n).matches()).findFirst();
  }

  /** "/dev/ttyUSB0" → "/dev/serial/by-id/usb-...-if00-port0", from udev's links. */
  private Map<String, String> byIdNames() {
    Map<String, String> names = new HashMap<>();
    Optional<Path> dir = sys.resolve("/dev/serial/by-id");
    for (String link : dir.map(SysTree::names).orElse(List.of())) {
      SysTree.readLink(dir.get().resolve(link))
          .map(target -> target.substring(target.lastIndexOf('/') + 1))
          .ifPresent(tty -> names.putIfAbsent("/dev/" + tty, "/dev/serial/by-id/" + link));
    }
    return names;
  }
}
