package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haven.testing.Sysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusLedTest {
  static final String ACT = "/sys/devices/platform/leds/leds/ACT";

  @TempDir Path root;

  private Sysfs actLed() {
    return Sysfs.empty(root)
        .file(ACT + "/brightness", "0\n")
        .file(ACT + "/max_brightness", "255\n")
        .file(ACT + "/trigger", "none rc-feedback kbd-scrolllock [mmc0] timer heartbeat\n")
        .file(ACT + "/delay_on", "0\n")
        .file(ACT + "/delay_off", "0\n")
        .link("/sys/class/leds/ACT", "../../devices/platform/leds/leds/ACT");
  }

  private String attr(String name) throws Exception {
    return Files.readString(root.resolve(ACT.substring(1) + "/" + name)).strip();
  }

  @Test
  void sysfsLedShowsEachStatusAndGivesItsTriggerBack() throws Exception {
    actLed();
    try (StatusLed led = StatusLed.open(LedConfig.sysfs("ACT"), root)) {
      led.show(StatusLed.Status.IDLE);
      assertEquals("none", attr("trigger"));
      assertEquals("255", attr("brightness"));

      led.show(StatusLed.Status.WORKING);
      assertEquals("timer", attr("trigger"));
      assertEquals("500", attr("delay_on"));
      assertEquals("500", attr("delay_off"));

      led.show(StatusLed.Status.ERROR);
      assertEquals("100", attr("delay_on"));
      assertEquals("100", attr("delay_off"));

      led.show(StatusLed.Status.OFF);
      assertEquals("none", attr("trigger"));
      assertEquals("0", attr("brightness"));
    }
    assertEquals("mmc0", attr("trigger"), "the SD activity trigger is back after close");
  }

  @Test
  void missingLedShowsNothingAndDoesNotFail() {
    try (StatusLed led = StatusLed.open(LedConfig.sysfs("led0"), root)) {
      led.show(StatusLed.Status.WORKING);
      led.show(StatusLed.Status.ERROR);
      assertEquals("StatusLed(no LED)", led.toString());
    }
  }

  @Test
  void ledThatFailsWhileShowingIsDroppedNotThrown() throws Exception {
    actLed();
    try (StatusLed led = StatusLed.open(LedConfig.sysfs("ACT"), root)) {
      Path trigger = root.resolve(ACT.substring(1) + "/trigger");
      Files.delete(trigger);
      Files.createDirectory(trigger); // writing the trigger now fails with an IOException
      led.show(StatusLed.Status.WORKING);
      Files.delete(trigger);
      Files.writeString(trigger, "none [mmc0]\n");
      led.show(StatusLed.Status.IDLE);
      assertEquals("none [mmc0]", attr("trigger"), "after one failure the LED is left alone");
    }
  }

  @Test
  void noneConfigShowsNothing() {
    try (StatusLed led = StatusLed.open(LedConfig.none(), root)) {
      led.show(StatusLed.Status.ERROR);
    }
  }
}
