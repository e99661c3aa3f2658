package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RadioCompareTest {
  static final Radio CONBEE = new Radio("zigbee", "dresden elektronik ConBee II", "1cf1:0030",
      "DE2654321", "/dev/ttyACM0", "/dev/serial/by-id/usb-ConBee_II_DE2654321-if00");
  static final Radio ZSTICK = new Radio("zwave", "Aeotec Z-Stick 7", "0658:0200", "AA",
      "/dev/ttyACM1", "/dev/serial/by-id/usb-0658_0200_AA-if00");
  static final Radio SKYCONNECT = new Radio("zigbee+thread", "Home Assistant SkyConnect",
      "10c4:ea60", "9e2a", "/dev/ttyUSB0", "/dev/serial/by-id/usb-Nabu_Casa_SkyConnect_9e2a-if00-port0");
  static final Radio CP210X = new Radio(Radio.UNKNOWN_SERIAL, "Silicon Labs CP210x serial adapter",
      "10c4:ea60", "0001", "/dev/ttyUSB1", "");

  @Test
  void sameRadiosGiveNoFindings() {
    assertEquals(List.of(), UsbRadios.compare(List.of(CONBEE, ZSTICK), List.of(ZSTICK, CONBEE)));
  }

  @Test
  void sameStickOnAnotherTtyButSameStableNameIsNoFinding() {
    Radio renumbered = new Radio(CONBEE.protocol(), CONBEE.model(), CONBEE.vidPid(),
        CONBEE.serial(), "/dev/ttyACM3", CONBEE.byIdPath());
    assertEquals(List.of(), UsbRadios.compare(List.of(CONBEE), List.of(renumbered)));
  }

  @Test
  void otherZigbeeModelNeedsMigrationAndOtherStickOfSameModelMovedPort() {
    Radio otherZstick = new Radio("zwave", "Aeotec Z-Stick 7", "0658:0200", "BB", "/dev/ttyACM0",
        "/dev/serial/by-id/usb-0658_0200_BB-if00");
    List<RadioFinding> findings =
        UsbRadios.compare(List.of(CONBEE, ZSTICK), List.of(SKYCONNECT, otherZstick, CP210X));
    assertEquals(List.of(
        new RadioFinding.PortChanged(ZSTICK, otherZstick),
        new RadioFinding.ModelChanged(CONBEE, SKYCONNECT)), findings,
        "the unknown serial adapter is neither a replacement nor worth reporting");
  }

  @Test
  void radioGoneIsMissingAndNewRadioIsAdded() {
    assertEquals(List.of(new RadioFinding.Missing(CONBEE), new RadioFinding.Added(ZSTICK)),
        UsbRadios.compare(List.of(CONBEE), List.of(ZSTICK, CP210X)));
  }

  @Test
  void comboStickReplacedByZwaveStickIsAModelChange() {
    Radio husbzb = new Radio("zigbee+zwave", "Nortek HUSBZB-1", "10c4:8a2a", "c3", "/dev/ttyUSB0", "");
    assertEquals(List.of(new RadioFinding.ModelChanged(husbzb, ZSTICK)),
        UsbRadios.compare(List.of(husbzb), List.of(ZSTICK)));
  }

  @Test
  void comboStickInterfacesPairWithTheirOwnProtocolNotByTheirSharedSerial() {
    Radio zwave = new Radio("zwave", "Nortek HUSBZB-1", "10c4:8a2a", "c3", "/dev/ttyUSB0", "");
    Radio zigbee = new Radio("zigbee", "Nortek HUSBZB-1", "10c4:8a2a", "c3", "/dev/ttyUSB1", "");
    Radio zigbeeMoved = new Radio("zigbee", "Nortek HUSBZB-1", "10c4:8a2a", "c3", "/dev/ttyUSB2",
        "");
    assertEquals(List.of(), UsbRadios.compare(List.of(zigbee, zwave), List.of(zwave, zigbee)));
    assertEquals(List.of(new RadioFinding.PortChanged(zigbee, zigbeeMoved)),
        UsbRadios.compare(List.of(zwave, zigbee), List.of(zigbeeMoved, zwave)));
  }

  @Test
  void backupRadioWithoutStableNameIsComparedByPort() {
    Radio old = new Radio("zigbee", "dresden elektronik ConBee II", "1cf1:0030", "", "/dev/ttyACM0", "");
    Radio now = new Radio("zigbee", "dresden elektronik ConBee II", "1cf1:0030", "", "/dev/ttyACM1", "");
    assertEquals(List.of(new RadioFinding.PortChanged(old, now)),
        UsbRadios.compare(List.of(old), List.of(now)));
  }

  @Test
  void adviceNamesTheRadiosAndWhatToDo() {
    String advice = new RadioFinding.ModelChanged(CONBEE, SKYCONNECT).advice();
    assertEquals("The zigbee radio was dresden elektronik ConBee II and is now Home Assistant"
        + " SkyConnect. Migrate the network to the new radio (ZHA/Zigbee2MQTT/Z-Wave JS offer this)"
        + " after the restore.", advice);
  }
}
