package io.haven.device;

import java.nio.file.Path;

/**
 * Prints what Haven sees of this machine as JSON: {@code DeviceProbe [root [dataRoot [backupDir]]]}
 * (defaults "/", "/data", "/backup"). {@code DeviceProbe --led gpio|sysfs <pin|name> <status>}
 * shows one status on a real LED until killed. Used by hardware-tests/run.sh.
 */
public final class DeviceProbe {
  private DeviceProbe() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length >= 4 && args[0].equals("--led")) {
      showLed(args[1], args[2], StatusLed.Status.valueOf(args[3].toUpperCase(java.util.Locale.ROOT)));
      return;
    }
    Path root = Path.of(args.length > 0 ? args[0] : "/");
    Path data = Path.of(args.length > 1 ? args[1] : "/data");
    Path backup = Path.of(args.length > 2 ? args[2] : "/backup");
    System.out.println(DeviceFacts.collect(root, data, backup).toJson());
  }

  private static void showLed(String kind, String where, StatusLed.Status status)
      throws InterruptedException {
    LedConfig config =
        kind.equals("gpio") ? LedConfig.gpio(Integer.parseInt(where)) : LedConfig.sysfs(where);
    try (StatusLed led = StatusLed.open(config, Path.of("/"))) {
      led.show(status);
      System.out.println("showing " + status + " on " + led);
      Thread.sleep(Long.getLong("haven.ledSeconds", 5) * 1000);
    }
  }
}
