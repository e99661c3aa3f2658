package io.haven.key;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The emergency kit: a text file, mode 0600, with the backup key, the date, the device and how
 * to restore, in plain words, as Home Assistant's "Download emergency kit" gives one.
 */
public final class EmergencyKit {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private EmergencyKit() {}

  /** The kit's file name for a day, as Home Assistant names its own. */
  public static String fileName(Instant now, ZoneId zone) {
    return "haven_backup_emergency_kit_" + DAY.withZone(zone).format(now) + ".txt";
  }

  /**
   * Writes the kit for {@code keys} (the current one first) to {@code target}, which must not
   * exist, so an older kit is never overwritten by mistake.
   */
  public static void write(Path target, List<BackupKey> keys, String device, Instant now,
      ZoneId zone) throws IOException {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no key to write into an emergency kit");
    }
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "a file of that name exists; choose another name");
    }
    KeyFile.writeOwnerOnly(target, text(keys, device, DATE.withZone(zone).format(now)));
  }

  /** The kit's text for {@code keys} (the current one first), as {@link #write} writes it. */
  public static String text(List<BackupKey> keys, String device, Instant now, ZoneId zone) {
    return text(keys, device, DATE.withZone(zone).format(now));
  }

  static String text(List<BackupKey> keys, String device, String date) {
    StringBuilder kit = new StringBuilder();
    kit.append("Haven backup emergency kit\n\n")
        .append("This file holds the key that opens your encrypted backups. Keep it somewhere\n")
        .append("safe away from the device: printed, or in a password manager. Anyone who has\n")
        .append("it can read your backups; without it, nobody can restore them.\n\n")
        .append("Date: ").append(date).append('\n')
        .append("Device: ").append(device).append("\n\n")
        .append("Backup encryption key:\n").append(keys.get(0).value()).append("\n\n")
        .append("How to restore\n")
        .append("- With Haven, on this device or a new one: put the key in a file and run\n")
        .append("    haven backups restore BACKUP --password-file FILE\n")
        .append("  or type the key when Haven asks for the backup's password. The web page\n")
        .append("  that restores a new device asks for it too.\n")
        .append("- With Home Assistant (2025.1 or later), for a backup made in Home Assistant's\n")
        .append("  form (haven backups new --compat): upload it under Settings > System >\n")
        .append("  Backups and enter this key when Home Assistant asks for the encryption key.\n");
    if (keys.size() > 1) {
      kit.append("\nOlder keys, for backups made before the key was changed:\n");
      for (BackupKey old : keys.subList(1, keys.size())) {
        kit.append(old.value()).append("  (made ").append(old.created()).append(")\n");
      }
    }
    return kit.toString();
  }
}
