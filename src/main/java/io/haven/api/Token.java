package io.haven.api;

import io.haven.config.Config;
import io.haven.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The API's bearer token: HAVEN_API_TOKEN when set, else the token file, made on first start
 * with 32 random bytes in hex and mode 0600 (only Haven's user reads it).
 */
final class Token {
  private static final int MAX_FILE = 4096;

  private Token() {}

  static String load(Config config) throws IOException {
    if (config.agent().token().isPresent()) {
      return config.agent().token().get();
    }
    Path file = config.tokenFile();
    if (!Files.exists(file)) {
      create(file);
    }
    if (Files.size(file) > MAX_FILE) {
      throw new ConfigException("The API token file " + file + " is over " + MAX_FILE
          + " bytes; it is not a token. Delete it and restart to make a new one.", null);
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (token.length() < 16) {
      throw new ConfigException("The API token file " + file + " holds fewer than 16"
          + " characters. Delete it and restart to make a new one.", null);
    }
    return token;
  }

  // Created with its mode, so the token is never readable by others, not even for a moment.
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return; // another start made it first; use theirs
    }
    Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
  }
}
