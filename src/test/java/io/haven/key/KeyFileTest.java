package io.haven.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  private static final Instant FIRST = Instant.parse("2026-11-01T04:45:00Z");
  private static final Instant SECOND = Instant.parse("2026-12-06T23:40:00Z");

  @TempDir Path dir;

  @Test
  void firstStartMakesOneKeyInHomeAssistantsFormReadableOnlyByItsOwner() throws Exception {
    KeyFile keys = new KeyFile(dir.resolve("etc").resolve(KeyFile.NAME));
    BackupKey key = keys.ensure(FIRST);

    assertTrue(key.value().matches("[A-Z0-9]{4}(-[A-Z0-9]{4}){6}"), key.value());
    assertEquals(key, keys.ensure(SECOND), "a second start keeps the key");
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(keys.file())));
    assertEquals(List.of(keys.file()), Files.list(keys.file().getParent()).toList(),
        "no temporary file is left beside it");
    assertTrue(!key.toString().contains(key.value()), "toString hides the key");
  }

  @Test
  void aNewKeyKeepsTheOldOnesNewestFirst() throws Exception {
    KeyFile keys = new KeyFile(dir.resolve(KeyFile.NAME));
    BackupKey first = keys.ensure(FIRST);
    BackupKey second = keys.renew(SECOND);
    BackupKey third = keys.renew(SECOND.plusSeconds(60));

    assertNotEquals(first.value(), second.value());
    assertEquals(List.of(third, second, first), new KeyFile(keys.file()).all());
    assertEquals(third, keys.current().orElseThrow());
  }

  @Test
  void aDamagedFileIsReportedWithWhatToDo() throws Exception {
    Path file = dir.resolve(KeyFile.NAME);
    Files.writeString(file, "current not-a-key 2026-12-06T23:40:00Z\n");

    KeyFileDamaged e = assertThrows(KeyFileDamaged.class, () -> new KeyFile(file).ensure(SECOND));
    assertEquals("The backup key file " + file + " cannot be read: line 1 holds no key in Home"
        + " Assistant's form and a date. Put it back from a copy, or write the key from your"
        + " emergency kit into it as 'current KEY DATE'.", e.getMessage());
    assertEquals(7, e.exitCode());
  }

  @Test
  void theKitHoldsTheKeysDateDeviceAndHowToRestoreForItsOwnerOnly() throws Exception {
    KeyFile keys = new KeyFile(dir.resolve(KeyFile.NAME));
    BackupKey old = keys.ensure(FIRST);
    BackupKey current = keys.renew(SECOND);
    Path kit = dir.resolve(EmergencyKit.fileName(SECOND, ZoneOffset.UTC));

    EmergencyKit.write(kit, keys.all(), "pi5 (Raspberry Pi 5 Model B)", SECOND, ZoneOffset.UTC);

    assertEquals("haven_backup_emergency_kit_2026-12-06.txt", kit.getFileName().toString());
    String text = Files.readString(kit);
    assertTrue(text.contains("Date: 2026-12-06 23:40 Z\n"), text);
    assertTrue(text.contains("Device: pi5 (Raspberry Pi 5 Model B)\n"), text);
    assertTrue(text.contains("Backup encryption key:\n" + current.value() + "\n"), text);
    assertTrue(text.contains("haven backups restore BACKUP --password-file FILE"), text);
    assertTrue(text.contains("Older keys, for backups made before the key was changed:\n"
        + old.value() + "  (made 2026-11-01T04:45:00Z)\n"), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kit)));
    assertThrows(FileAlreadyExistsException.class,
        () -> EmergencyKit.write(kit, keys.all(), "pi5", SECOND, ZoneOffset.UTC));
  }
}
