package io.haven.key;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file that keeps the backup encryption key and the keys it replaced, mode 0600 from the
 * moment it exists:
 *
 * <pre>
 * # ...
 * current ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ12 2026-12-06T23:40:00Z
 * old     WXYZ-...                          2026-11-01T04:45:00Z
 * </pre>
 *
 * A changed key keeps the old ones, so that backups made before the change still restore.
 * Every change writes a temporary file (0600), forces it to disk and renames it over the old
 * one, so a crash leaves the old file or the new one, never a file without a key. Not safe for
 * two writers at once; the agent and the command line change it only under the job lock or
 * before the agent starts.
 */
public final class KeyFile {
  /** The file's name beside the locations file (outside the backup directory, on purpose). */
  public static final String NAME = "backup-key";
  /** A key file is a few lines; anything much larger is not one. */
  private static final long MAX_BYTES = 64 * 1024;
  private static final String OWNER_ONLY = "rw-------";
  private static final String HEADER = "# Haven's backup encryption key (Home Assistant's form),"
      + " then the keys it replaced.\n# Keep a copy away from this device: haven key kit."
      + " Without the key, encrypted backups cannot be restored.\n";

  private final Path file;
  private final SecureRandom random;

  public KeyFile(Path file) {
    this(file, new SecureRandom());
  }

  KeyFile(Path file, SecureRandom random) {
    this.file = file;
    this.random = random;
  }

  public Path file() {
    return file;
  }

  /** The current key, if one was made. */
  public Optional<BackupKey> current() throws IOException {
    List<BackupKey> all = all();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** The current key, made now (and kept) when there is none yet: Haven's first start. */
  public BackupKey ensure(Instant now) throws IOException {
    Optional<BackupKey> current = current();
    if (current.isPresent()) {
      return current.get();
    }
    BackupKey key = BackupKey.generate(random, now);
    save(List.of(key));
    return key;
  }

  /** Makes a new current key; the one it replaces is kept for older backups. */
  public BackupKey renew(Instant now) throws IOException {
    List<BackupKey> keys = new ArrayList<>();
    keys.add(BackupKey.generate(random, now));
    keys.addAll(all());
    save(keys);
    return keys.get(0);
  }

  /**
   * Keeps {@code key} (Home Assistant's own key, say) for opening backups; with {@code current}
   * it also becomes the key new backups are encrypted with, and the one it replaces is kept.
   * Returns false when the file already held it, in which case nothing changes.
   */
  public boolean add(BackupKey key, boolean current) throws IOException {
    List<BackupKey> keys = new ArrayList<>(all());
    if (keys.stream().anyMatch(k -> k.value().equals(key.value()))) {
      return false;
    }
    keys.add(current || keys.isEmpty() ? 0 : 1, key);
    save(keys);
    return true;
  }

  /** Every key, the current one first, then the replaced ones from newest to oldest. */
  public List<BackupKey> all() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    if (Files.size(file) > MAX_BYTES) {
      throw damaged("it is over " + MAX_BYTES + " bytes");
    }
    List<BackupKey> keys = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = in.readLine()) != null; ) {
        number++;
        if (!line.isBlank() && !line.startsWith("#")) {
          keys.add(parse(line.strip(), number, keys.isEmpty()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return List.copyOf(keys);
  }

  private BackupKey parse(String line, int number, boolean first) throws KeyFileDamaged {
    String[] fields = line.split("\\s+");
    String expected = first ? "current" : "old";
    if (fields.length != 3 || !fields[0].equals(expected)) {
      throw damaged("line " + number + " is not '" + expected + " KEY DATE'");
    }
    try {
      return new BackupKey(fields[1], Instant.parse(fields[2]));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw damaged("line " + number + " holds no key in Home Assistant's form and a date");
    }
  }

  private KeyFileDamaged damaged(String why) {
    return new KeyFileDamaged("The backup key file " + file + " cannot be read: " + why
        + ". Put it back from a copy, or write the key from your emergency kit into it as"
        + " 'current KEY DATE'.");
  }

  private void save(List<BackupKey> keys) throws IOException {
    StringBuilder text = new StringBuilder(HEADER);
    for (int i = 0; i < keys.size(); i++) {
      BackupKey k = keys.get(i);
      text.append(i == 0 ? "current " : "old     ").append(k.value()).append(' ')
          .append(k.created()).append('\n');
    }
    writeOwnerOnly(file, text.toString());
  }

  /**
   * Writes {@code text} to {@code target} under a temporary name created 0600, forced to disk and
   * renamed, then forces the directory, so the file is never readable by others, not even for a
   * moment, and a crash leaves the old file or the new one.
   */
  static void writeOwnerOnly(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public String toString() {
    return "KeyFile[" + file + "]";
  }
}
