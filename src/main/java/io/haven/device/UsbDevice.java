package io.haven.device;

import java.util.Objects;

/**
 * One USB device as sysfs describes it. Strings the device does not report are "". {@code port} is
 * its serial device ("/dev/ttyUSB0") when it has one, and {@code byIdPath} the stable name udev
 * gave that port ("/dev/serial/by-id/usb-..."), or "".
 */
public record UsbDevice(
    String vendorId,
    String productId,
    String manufacturer,
    String product,
    String serial,
    String port,
    String byIdPath) {
  public UsbDevice {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(byIdPath, "byIdPath");
    if (!isHexId(vendorId) || !isHexId(productId)) {
      throw new IllegalArgumentException("USB ids must be 4 hex digits: " + vendorId + ":" + productId);
    }
  }

  /** "10c4:ea60", lower case, as lsusb prints it. */
  public String vidPid() {
    return vendorId + ":" + productId;
  }

  static boolean isHexId(String id) {
    return id != null && id.matches("[0-9a-f]{4}");
  }
}
