package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haven.testing.Sysfs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Radios on the board or the GPIO header, from device trees as the Pi firmware hands them over. */
class DeviceTreeRadiosTest {
  @TempDir Path root;

  @Test
  void yellowRadioIsFoundByItsBoardAndNamesItsUart() {
    Appliances.yellow(root, "/mnt/data");
    assertEquals(List.of(new Radio("zigbee+thread", DeviceTreeRadios.YELLOW_MODEL, "", "",
        "/dev/ttyAMA1", "", "device tree: board raspberrypi,4-compute-module-ha-yellow, radio UART"
            + " serial1 = /soc/serial@7e201800 (okay)")), new UsbRadios(root).radios());
  }

  @Test
  void raspBeeOnAPi4IsFoundWhereTheBluetoothOverlayPutTheGpioUart() {
    Appliances.pi4(root).piUarts(true);
    List<Radio> radios = new UsbRadios(root).radios();
    assertEquals(new Radio("zigbee", DeviceTreeRadios.RASPBEE, "", "", "/dev/ttyAMA0", "",
        "device tree: serial0 = /soc/serial@7e201000 (PL011 on GPIO 14/15, okay), no console on it"),
        radios.get(0));
    assertEquals(List.of("zigbee", "zigbee", "zwave"),
        radios.stream().map(Radio::protocol).toList(), "the USB sticks are still there");
  }

  @Test
  void raspBeeIIIsNamedByItsClock() {
    Appliances.pi4(root).piUarts(true).raspBeeIIClock();
    Radio radio = new UsbRadios(root).radios().get(0);
    assertEquals(DeviceTreeRadios.RASPBEE_II, radio.model());
    assertEquals("device tree: serial0 = /soc/serial@7e201000 (PL011 on GPIO 14/15, okay), no"
        + " console on it; RaspBee II clock /soc/i2c@7e804000/pcf85063a@51", radio.recognisedBy());
  }

  @Test
  void piWithoutTheOverlayHasItsPl011OnBluetoothAndNoGpioRadio() {
    Appliances.pi4(root).piUarts(false).raspBeeIIClock();
    assertEquals(List.of("dresden elektronik ConBee II", "Aeotec Z-Stick 7"),
        new UsbRadios(root).radios().stream().map(Radio::model).toList());
  }

  @Test
  void gpioUartCarryingTheConsoleIsNoRadio() {
    Appliances.pi4(root).piUarts(true)
        .file("/proc/cmdline", "coherent_pool=1M console=serial0,115200 console=tty1 root=/dev/mmcblk0p2\n");
    assertEquals(2, new UsbRadios(root).radios().size());
  }

  @Test
  void disabledGpioUartOnAPi5IsNoRadioAndEnabledOneIs() {
    String uart0 = "/axi/pcie@120000/rp1/serial@30000";
    Sysfs pi5 = Appliances.pi5(root)
        .dtNode(uart0, "compatible=arm,pl011-axi", "status=disabled")
        .dtAlias("serial0", uart0);
    assertEquals(List.of("Home Assistant SkyConnect"),
        new UsbRadios(root).radios().stream().map(Radio::model).toList());
    pi5.dtNode(uart0, "status=okay");
    assertEquals(List.of(DeviceTreeRadios.RASPBEE, "Home Assistant SkyConnect"),
        new UsbRadios(root).radios().stream().map(Radio::model).toList());
  }

  @Test
  void otherBoardsWithAPl011AreNotPis() {
    Appliances.green(root).dtNode("/serial@fe660000", "compatible=arm,pl011")
        .dtAlias("serial0", "/serial@fe660000");
    assertEquals(List.of(), new UsbRadios(root).radios());
  }
}
