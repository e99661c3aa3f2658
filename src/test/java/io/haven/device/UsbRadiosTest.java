package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haven.testing.Sysfs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbRadiosTest {
  /** A HUSBZB-1 as cp210x shows it: one device, Z-Wave on interface 00, Zigbee on 01. */
  static final String HOST = "pci0000:00/0000:00:14.0/usb1";
  static final String HUSBZB_BY_ID = "usb-Silicon_Labs_HubZ_Smart_Home_Controller_C0F003D1";

  @TempDir Path root;

  @Test
  void piRadiosAreMatchedWithTheirPortsAndStableNames() {
    Appliances.pi4(root);
    assertEquals(List.of(
        new Radio("zigbee", "dresden elektronik ConBee II", "1cf1:0030", "DE2654321", "/dev/ttyACM0",
            "/dev/serial/by-id/" + Appliances.CONBEE_BY_ID, "USB 1cf1:0030 interface 00"),
        new Radio("zwave", "Aeotec Z-Stick 7", "0658:0200", "", "/dev/ttyACM1",
            "/dev/serial/by-id/" + Appliances.ZSTICK_BY_ID, "USB 0658:0200 interface 00")),
        new UsbRadios(root).radios());
  }

  @Test
  void hubIsAUsbDeviceButNotARadio() {
    Appliances.pi4(root);
    List<UsbDevice> devices = new UsbRadios(root).devices();
    assertEquals(List.of("2109:3431", "1cf1:0030", "0658:0200"),
        devices.stream().map(UsbDevice::vidPid).toList());
    assertEquals(List.of(), devices.get(0).serialPorts());
  }

  @Test
  void skyConnectOnACp210xIsToldApartFromAPlainCp210x() {
    Appliances.x86(root, "/backup")
        .usb(Appliances.X86_USB_HOST, "1-3", "10c4:ea60", "Silicon Labs", "CP2102N USB to UART",
            "0001", "ttyUSB1");
    List<Radio> radios = new UsbRadios(root).radios();
    assertEquals(new Radio("zigbee+thread", "Home Assistant SkyConnect", "10c4:ea60",
        "9e2adbd75b8beb119fe564a0f320645d", "/dev/ttyUSB0",
        "/dev/serial/by-id/" + Appliances.SKYCONNECT_BY_ID,
        "USB 10c4:ea60 interface 00, named SkyConnect"), radios.get(0));
    assertEquals(Radio.UNKNOWN_SERIAL, radios.get(1).protocol());
    assertEquals("/dev/ttyUSB1", radios.get(1).port());
    assertEquals("", radios.get(1).byIdPath(), "no udev link for it");
  }

  @Test
  void sonoffDonglesAreKnown() {
    Sysfs.empty(root)
        .usb(HOST, "1-1", "10c4:ea60", "ITead", "Sonoff Zigbee 3.0 USB Dongle Plus", "a1", "ttyUSB0")
        .usb(HOST, "1-2", "1a86:55d4", "ITEAD", "Sonoff Zigbee 3.0 USB Dongle Plus V2", "b2", "ttyACM0");
    assertEquals(List.of("Sonoff ZBDongle-P", "Sonoff ZBDongle-E"),
        new UsbRadios(root).radios().stream().map(Radio::model).toList());
  }

  @Test
  void eachInterfaceOfAComboStickIsItsOwnRadioByItsInterfaceString() {
    husbzb(true);
    List<Radio> radios = new UsbRadios(root).radios();
    assertEquals(List.of(
        new Radio("zwave", "Nortek HUSBZB-1", "10c4:8a2a", "C0F003D1", "/dev/ttyUSB0",
            "/dev/serial/by-id/" + HUSBZB_BY_ID + "-if00-port0",
            "USB 10c4:8a2a interface 00, named Z-Wave"),
        new Radio("zigbee", "Nortek HUSBZB-1", "10c4:8a2a", "C0F003D1", "/dev/ttyUSB1",
            "/dev/serial/by-id/" + HUSBZB_BY_ID + "-if01-port0",
            "USB 10c4:8a2a interface 01, named ZigBee")), radios);
    UsbDevice stick = new UsbRadios(root).devices().get(0);
    assertEquals(List.of(
        new UsbInterface("00", "HubZ Z-Wave Com Port", "/dev/ttyUSB0",
            "/dev/serial/by-id/" + HUSBZB_BY_ID + "-if00-port0"),
        new UsbInterface("01", "HubZ ZigBee Com Port", "/dev/ttyUSB1",
            "/dev/serial/by-id/" + HUSBZB_BY_ID + "-if01-port0")), stick.serialPorts());
  }

  @Test
  void comboStickWithoutInterfaceStringsIsToldApartByInterfaceNumber() {
    husbzb(false);
    assertEquals(List.of("zwave", "zigbee"),
        new UsbRadios(root).radios().stream().map(Radio::protocol).toList());
  }

  @Test
  void comboStickWithoutItsDriverIsOneRadioWithBothProtocols() {
    Sysfs.empty(root).file("/sys/devices/" + HOST + "/1-1/idVendor", "10c4\n")
        .file("/sys/devices/" + HOST + "/1-1/idProduct", "8a2a\n")
        .link("/sys/bus/usb/devices/1-1", "../../../devices/" + HOST + "/1-1");
    List<Radio> radios = new UsbRadios(root).radios();
    assertEquals(List.of("zigbee+zwave"), radios.stream().map(Radio::protocol).toList());
    assertEquals("", radios.get(0).port());
  }

  @Test
  void noUsbBusMeansNoRadios() {
    assertEquals(List.of(), new UsbRadios(root).radios());
  }

  /** The combo stick; with {@code strings} its interfaces carry their interface strings. */
  private void husbzb(boolean strings) {
    Sysfs.empty(root)
        .usb(HOST, "1-1", "10c4:8a2a", "Silicon Labs", "HubZ Smart Home Controller", "C0F003D1",
            "ttyUSB0")
        .usbInterface(HOST, "1-1", "1.1", "01", strings ? "HubZ ZigBee Com Port" : null, "ttyUSB1")
        .byId(HUSBZB_BY_ID + "-if00-port0", "ttyUSB0")
        .byId(HUSBZB_BY_ID + "-if01-port0", "ttyUSB1");
    if (strings) {
      Sysfs.empty(root).usbInterfaceName(HOST, "1-1", "1.0", "HubZ Z-Wave Com Port");
    }
  }
}
