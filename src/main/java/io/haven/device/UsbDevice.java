package io.haven.device;

import java.util.List;
import java.util.Objects;

/**
 * One USB device as sysfs describes it. Strings the device does not report are "".
 * {@code serialPorts} are its interfaces that have a serial port, in interface order: none for a
 * hub or a stick whose driver is not loaded, two for a Z-Wave and Zigbee combo stick.
 */
public record UsbDevice(
    String vendorId,
    String productId,
    String manufacturer,
    String product,
    String serial,
    List<UsbInterface> serialPorts) {
  public UsbDevice {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(serial, "serial");
    serialPorts = List.copyOf(serialPorts);
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
