package io.haven.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A kernel LED ({@code /sys/class/leds/<name>}): the kernel's timer trigger does the blinking, so
 * nothing of ours has to run while a backup works. The trigger found at start (the Pi's ACT LED
 * shows SD activity, "mmc0") is put back on close.
 */
final class SysfsLight implements Light {
  private static final String WORKING_MS = "500";
  private static final String ERROR_MS = "100";

  private final Path dir;
  private final String originalTrigger;

  private SysfsLight(Path dir, String originalTrigger) {
    this.dir = dir;
    this.originalTrigger = originalTrigger;
  }

  static SysfsLight open(SysTree sys, String name) throws IOException {
    Path dir = sys.resolve("/sys/class/leds/" + name)
        .orElseThrow(() -> new IOException("no LED " + name + " in /sys/class/leds"));
    if (!Files.isRegularFile(dir.resolve("brightness"), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("LED " + name + " has no brightness file");
    }
    String trigger = SysTree.readSmall(dir.resolve("trigger")).map(SysfsLight::selected).orElse("");
    return new SysfsLight(dir, trigger);
  }

  /** The trigger file lists every trigger and brackets the active one: "none [mmc0] timer". */
  static String selected(String triggers) {
    int open = triggers.indexOf('[');
    int close = triggers.indexOf(']', open + 1);
    return open >= 0 && close > open ? triggers.substring(open + 1, close) : "";
  }

  @Override
  public void show(StatusLed.Status status) throws IOException {
    switch (status) {
      case IDLE -> steady(maxBrightness());
      case OFF -> steady("0");
      case WORKING -> blink(WORKING_MS);
      case ERROR -> blink(ERROR_MS);
      default -> throw new IllegalArgumentException("status " + status);
    }
  }

  @Override
  public void close() throws IOException {
    if (!originalTrigger.isEmpty()) {
      write("trigger", originalTrigger);
    }
  }

  private void steady(String brightness) throws IOException {
    write("trigger", "none");
    write("brightness", brightness);
  }

  /** Setting the timer trigger makes the kernel create delay_on/delay_off; then they are set. */
  private void blink(String millis) throws IOException {
    write("trigger", "timer");
    writeIfPresent("delay_on", millis);
    writeIfPresent("delay_off", millis);
  }

  private String maxBrightness() {
    return SysTree.readSmall(dir.resolve("max_brightness")).filter(s -> !s.isEmpty()).orElse("1");
  }

  private void writeIfPresent(String attribute, String value) throws IOException {
    if (Files.isRegularFile(dir.resolve(attribute), LinkOption.NOFOLLOW_LINKS)) {
      write(attribute, value);
    }
  }

  private void write(String attribute, String value) throws IOException {
    Path file = dir.resolve(attribute);
    if (Files.isSymbolicLink(file)) {
      throw new IOException("refusing to write through a link: " + file);
    }
    Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
  }
}
