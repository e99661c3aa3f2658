package io.haven.device;

import java.util.List;
import java.util.Optional;

/**
 * Radios that are not on USB, found from the device tree the firmware handed the kernel: a Home
 * Assistant Yellow's built-in radio, and a RaspBee or RaspBee II on a Raspberry Pi's GPIO UART.
 * Each radio says what in the device tree gave it away.
 */
final class DeviceTreeRadios {
  static final String YELLOW_MODEL = "Home Assistant Yellow built-in radio";
  /** Home Assistant OS's Yellow device tree names the radio's uart4 serial1, so ttyAMA1. */
  static final String YELLOW_PORT = "/dev/ttyAMA1";
  static final String RASPBEE = "dresden elektronik RaspBee";
  static final String RASPBEE_II = "dresden elektronik RaspBee II";
  /** The PL011 on GPIO 14 and 15 is the first ttyAMA on every Pi. */
  static final String GPIO_PORT = "/dev/ttyAMA0";

  private DeviceTreeRadios() {}

  static List<Radio> find(SysTree sys, Board board) {
    if (board.hasBuiltInRadio()) {
      return List.of(yellow(sys));
    }
    return gpioRadio(sys).map(List::of).orElse(List.of());
  }

  private static Radio yellow(SysTree sys) {
    String how = "device tree: board " + firstCompatible(sys)
        + sys.readDeviceTree("/aliases/serial1")
            .map(uart -> ", radio UART serial1 = " + uart + " (" + status(sys, uart) + ")")
            .orElse("");
    return new Radio("zigbee+thread", YELLOW_MODEL, "", "", YELLOW_PORT, "", how);
  }

  /**
   * A RaspBee needs the Pi's PL011 UART on GPIO 14 and 15. On a Pi 3 or 4 that UART drives the
   * Bluetooth chip unless the disable-bt or miniuart-bt overlay moves it to the header, and those
   * overlays point the serial0 alias at it; on a Pi 5 serial0 is the header's PL011 and is enabled
   * by enable_uart or dtparam=uart0. A UART that carries the kernel's console is no radio. The
   * RaspBee II has a PCF85063 clock on the header's I2C bus: when its node is there the model is
   * named; otherwise nothing on a UART says which radio it is, and a RaspBee is the one made for it.
   */
  private static Optional<Radio> gpioRadio(SysTree sys) {
    if (!firstCompatible(sys).startsWith("raspberrypi,")) {
      return Optional.empty();
    }
    Optional<String> uart = sys.readDeviceTree("/aliases/serial0");
    if (uart.isEmpty()
        || !sys.readDeviceTree(uart.get() + "/compatible").orElse("").contains("arm,pl011")
        || !status(sys, uart.get()).equals("okay")
        || consoleOnGpioUart(sys)) {
      return Optional.empty();
    }
    Optional<String> clock = raspBeeClock(sys);
    String how = "device tree: serial0 = " + uart.get() + " (PL011 on GPIO 14/15, okay), no"
        + " console on it" + clock.map(c -> "; RaspBee II clock " + c).orElse("");
    return Optional.of(new Radio("zigbee", clock.isPresent() ? RASPBEE_II : RASPBEE, "", "",
        GPIO_PORT, "", how));
  }

  /** A node's status; a node without one is enabled ("okay"), as the device-tree spec says. */
  private static String status(SysTree sys, String node) {
    String status = sys.readDeviceTree(node + "/status").orElse("okay");
    return status.equals("ok") ? "okay" : status;
  }

  private static boolean consoleOnGpioUart(SysTree sys) {
    String cmdline = " " + sys.read("/proc/cmdline").orElse("") + " ";
    return cmdline.contains(" console=serial0") || cmdline.contains(" console=ttyAMA0");
  }

  /** The PCF85063 node below the i2c1 alias (i2c_arm, GPIO 2 and 3), by its path. */
  private static Optional<String> raspBeeClock(SysTree sys) {
    Optional<String> bus = sys.readDeviceTree("/aliases/i2c1");
    if (bus.isEmpty()) {
      return Optional.empty();
    }
    for (String child : sys.deviceTree(bus.get()).map(SysTree::names).orElse(List.of())) {
      String node = bus.get() + "/" + child;
      if (sys.readDeviceTree(node + "/compatible").orElse("").contains("nxp,pcf85063")) {
        return Optional.of(node);
      }
    }
    return Optional.empty();
  }

  /** "raspberrypi,4-model-b": the most specific entry of the root's compatible list. */
  private static String firstCompatible(SysTree sys) {
    String compatible = sys.readDeviceTree("/compatible").orElse("");
    int nul = compatible.indexOf('\0');
    return nul < 0 ? compatible : compatible.substring(0, nul);
  }
}
