package io.haven.cli;

import io.haven.archive.Secret;
import io.haven.store.BackupStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** An archive named by its path, or by its slug in the backup directory; and what opens it. */
final class ArchiveArgument {
  @Parameters(paramLabel = "ARCHIVE", description = "A backup file, or a slug in the backup dir.")
  String archive;

  @Option(names = "--password", description = "The backup's password.")
  String password;

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

  Optional<Secret> secret() {
    return secret(password, key);
  }

  /** A raw key (hex, or 16 characters) when given, else a non-empty password. */
  static Optional<Secret> secret(String password, String key) {
    if (key != null) {
      byte[] raw = key.length() == 16 && !key.matches("[0-9a-fA-F]{32}")
          ? key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
          : HexFormat.of().parseHex(key);
      return Optional.of(new Secret.RawKey(raw));
    }
    return Optional.ofNullable(password).filter(p -> !p.isEmpty()).map(Secret.Password::new);
  }
}
