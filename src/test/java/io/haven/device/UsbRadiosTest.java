package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haven.testing.Sysfs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbRadiosTest {
  @TempDir Path root;

  @Test
  void piRadiosAreMatchedWithTheirPortsAndStableNames() {
    Appliances.pi4(root);
    assertEquals(List.of(
        new Radio("zigbee", "dresden elektronik ConBee II", "1cf1:0030", "DE2654321", "/dev/ttyACM0",
            "/dev/serial/by-id/" + Appliances.CONBEE_BY_ID),
        new Radio("zwave", "Aeotec Z-Stick 7", "0658:0200", "", "/dev/ttyACM1",
            "/dev/serial/by-id/" + Appliances.ZSTICK_BY_ID)),
        new UsbRadios(root).radios());
  }

  @Test
  void hubIsAUsbDeviceButNotARadio() {
    Appliances.pi4(root);
    List<UsbDevice> devices = new UsbRadios(root).devices();
    assertEquals(List.of("2109:3431", "1cf1:0030", "0658:0200"),
        devices.stream().map(UsbDevice::vidPid).toList());
    assertEquals("", devices.get(0).port());
  }

  @Test
  void skyConnectOnACp210xIsToldApartFromAPlainCp210x() {
    Appliances.x86(root, "/backup")
        .usb(Appliances.X86_USB_HOST, "1-3", "10c4:ea60", "Silicon Labs", "CP2102N USB to UART",
            "0001", "ttyUSB1");
    List<Radio> radios = new UsbRadios(root).radios();
    assertEquals(new Radio("zigbee+thread", "Home Assistant SkyConnect", "10c4:ea60",
        "9e2adbd75b8beb119fe564a0f320645d", "/dev/ttyUSB0",
        "/dev/serial/by-id/" + Appliances.SKYCONNECT_BY_ID), radios.get(0));
    assertEquals(Radio.UNKNOWN_SERIAL, radios.get(1).protocol());
    assertEquals("/dev/ttyUSB1", radios.get(1).port());
    assertEquals("", radios.get(1).byIdPath(), "no udev link for it");
  }

  @Test
  void sonoffDonglesAndComboStickAreKnown() {
    String host = "pci0000:00/0000:00:14.0/usb1";
    Sysfs.empty(root)
        .usb(host, "1-1", "10c4:ea60", "ITead", "Sonoff Zigbee 3.0 USB Dongle Plus", "a1", "ttyUSB0")
        .usb(host, "1-2", "1a86:55d4", "ITEAD", "Sonoff Zigbee 3.0 USB Dongle Plus V2", "b2", "ttyACM0")
        .usb(host, "1-3", "10c4:8a2a", "Silicon Labs", "HubZ Smart Home Controller", "c3", "ttyUSB1");
    assertEquals(List.of("Sonoff ZBDongle-P", "Sonoff ZBDongle-E", "Nortek HUSBZB-1"),
        new UsbRadios(root).radios().stream().map(Radio::model).toList());
    assertEquals("zigbee+zwave", new UsbRadios(root).radios().get(2).protocol());
  }

  @Test
  void yellowReportsItsBuiltInRadio() {
    Appliances.yellow(root, "/mnt/data");
    assertEquals(List.of(UsbRadios.YELLOW_RADIO), new UsbRadios(root).radios());
    assertEquals("/dev/ttyAMA1", UsbRadios.YELLOW_RADIO.port());
  }

  @Test
  void noUsbBusMeansNoRadios() {
    assertEquals(List.of(), new UsbRadios(root).radios());
  }
}
