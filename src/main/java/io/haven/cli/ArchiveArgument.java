package io.haven.cli;

import io.haven.archive.Secret;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** An archive named by its path, or by its slug in the backup directory; and what opens it. */
final class ArchiveArgument {
  @Parameters(paramLabel = "ARCHIVE", description = "A backup file, or a slug in the backup dir.")
  String archive;

  @Mixin PasswordOptions password;

  @Option(names = "--key", paramLabel = "HEX",
      description = "A raw 16-byte AES key in hex, for SecureTar v1 tools that used one.")
  String key;

  Path resolve(HavenCommand haven) throws IOException {
    return resolve(archive, haven);
  }

  /** A backup file by path, else a slug in the backup directory. */
  static Path resolve(String archive, HavenCommand haven) throws IOException {
    Path p = Path.of(archive);
    if (Files.isRegularFile(p)) {
      return p;
    }
    return new BackupStore(haven.config().backupDir()).get(archive).file();
  }

  Optional<Secret> secret(CommandSpec spec) throws IOException {
    return secret(password, key, spec);
  }

  /** A raw key (hex, or 16 characters) when given, else the password, if any. */
  static Optional<Secret> secret(PasswordOptions password, String key, CommandSpec spec)
      throws IOException {
    if (key == null) {
      return password.forReading().map(p -> p);
    }
    return Optional.of(Usage.parse(spec, "--key", () -> new Secret.RawKey(
        key.length() == 16 && !key.matches("[0-9a-fA-F]{32}")
            ? key.getBytes(StandardCharsets.ISO_8859_1) : HexFormat.of().parseHex(key))));
  }

  /**
   * The stored backup {@code archive} names: a slug, or the path of a file the backup directory
   * lists; empty for a file elsewhere. Fails NotFound when it is neither a file nor a slug here.
   */
  static Optional<StoredBackup> stored(BackupStore store, String archive)
      throws IOException {
    Path file = Path.of(archive);
    if (!Files.isRegularFile(file)) {
      return Optional.of(store.get(archive));
    }
    for (StoredBackup b : store.list().backups()) {
      if (Files.isSameFile(b.file(), file)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
