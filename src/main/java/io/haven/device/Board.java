package io.haven.device;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The appliance's board: its model as the firmware names it ("Raspberry Pi 4 Model B Rev 1.5",
 * "Home Assistant Green", a DMI product name, or "generic x86-64") and what kind it is.
 */
public record Board(String model, Kind kind) {
  /** Board families Haven treats differently (default disks, built-in radio, LEDs). */
  public enum Kind {
    RASPBERRY_PI_4,
    RASPBERRY_PI_5,
    COMPUTE_MODULE_4,
    COMPUTE_MODULE_5,
    /** A CM4 or CM5 in a Home Assistant Yellow, which has a built-in radio on /dev/ttyAMA1. */
    HOME_ASSISTANT_YELLOW,
    HOME_ASSISTANT_GREEN,
    /** Another board with a device tree (older Pis, other single-board computers). */
    OTHER_DEVICE_TREE,
    X86_64
  }

  static final String GENERIC_X86 = "generic x86-64";

  public Board {
    Objects.requireNonNull(kind, "kind");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("board model is blank");
    }
  }

  /** Reads the board below {@code root}; never fails: an unknown system is "generic x86-64". */
  public static Board read(Path root) {
    return read(new SysTree(root));
  }

  static Board read(SysTree sys) {
    String model = sys.readDeviceTree("/model")
        .filter(text -> !text.isBlank())
        .orElse(null);
    if (model == null) {
      String dmi = sys.read("/sys/class/dmi/id/product_name").filter(t -> !t.isBlank()).orElse("");
      return new Board(dmi.isEmpty() ? GENERIC_X86 : dmi, Kind.X86_64);
    }
    String compatible = sys.readDeviceTree("/compatible").orElse("");
    return new Board(model, kindOf(model, compatible));
  }

  /** True for a Yellow, whose on-board radio is not a USB device. */
  public boolean hasBuiltInRadio() {
    return kind == Kind.HOME_ASSISTANT_YELLOW;
  }

  private static Kind kindOf(String model, String compatible) {
    // The compatible property is a NUL-separated list; NULs do not matter to a substring test.
    String text = (model + " " + compatible).toLowerCase(Locale.ROOT);
    if (text.contains("yellow")) {
      return Kind.HOME_ASSISTANT_YELLOW;
    }
    if (text.contains("home assistant green") || text.contains("ha-green")) {
      return Kind.HOME_ASSISTANT_GREEN;
    }
    String lower = model.toLowerCase(Locale.ROOT);
    if (lower.contains("compute module 4")) {
      return Kind.COMPUTE_MODULE_4;
    }
    if (lower.contains("compute module 5")) {
      return Kind.COMPUTE_MODULE_5;
    }
    if (lower.startsWith("raspberry pi 4")) {
      return Kind.RASPBERRY_PI_4;
    }
    if (lower.startsWith("raspberry pi 5")) {
      return Kind.RASPBERRY_PI_5;
    }
    return Kind.OTHER_DEVICE_TREE;
  }
}
