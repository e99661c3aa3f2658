package io.haven.device;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the status LED is: a GPIO pin (BCM number), a kernel LED by name ("ACT", "led0"), or none.
 */
public record LedConfig(Kind kind, int pin, String ledName) {
  /** How the LED is driven. */
  public enum Kind {
    GPIO,
    SYSFS,
    NONE
  }

  /** BCM numbers of the Pi's GPIO bank 0; larger numbers are not on the header. */
  private static final int MAX_PIN = 53;

  /** A name, not a path: it is joined below /sys/class/leds. */
  private static final Pattern LED_NAME = Pattern.compile("[A-Za-z0-9_:.+-]+");

  public LedConfig {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ledName, "ledName");
    if (kind == Kind.GPIO && (pin < 0 || pin > MAX_PIN)) {
      throw new IllegalArgumentException("GPIO pin must be 0.." + MAX_PIN + ": " + pin);
    }
    if (kind == Kind.SYSFS && (!LED_NAME.matcher(ledName).matches() || ledName.startsWith("."))) {
      throw new IllegalArgumentException("not an LED name in /sys/class/leds: '" + ledName + "'");
    }
  }

  public static LedConfig gpio(int pin) {
    return new LedConfig(Kind.GPIO, pin, "");
  }

  public static LedConfig sysfs(String ledName) {
    return new LedConfig(Kind.SYSFS, 0, ledName);
  }

  public static LedConfig none() {
    return new LedConfig(Kind.NONE, 0, "");
  }
}
