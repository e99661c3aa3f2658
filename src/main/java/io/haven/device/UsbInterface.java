package io.haven.device;

import java.util.Objects;

/**
 * One interface of a USB device that has a serial port: its {@code bInterfaceNumber} ("00"), its
 * {@code interface} string ("HubZ ZigBee Com Port", "" when the device names none), its serial
 * device ("/dev/ttyUSB1") and the stable name udev gave that port
 * ("/dev/serial/by-id/usb-...-if01-port0", or ""). A combo stick has one per radio.
 */
public record UsbInterface(String number, String description, String port, String byIdPath) {
  public UsbInterface {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(byIdPath, "byIdPath");
  }
}
