package io.haven.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Changes some top-level keys of the YAML config file (the web panel's settings) and leaves every
 * other line as it was, comments included: only the blocks of the keys it sets are rewritten.
 * The new file is written under a temporary name, forced to disk, loaded as a {@link Config} (so
 * a change that would stop Haven at its next start is refused with the old file untouched), then
 * renamed over the old one, keeping its permissions.
 */
public final class SettingsFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  private final Path file;

  public SettingsFile(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  /**
   * Sets each key of {@code keys} to its value (maps, lists, strings, numbers, booleans); a null
   * value removes the key. Fails {@link ConfigException} when the result is not a valid config.
   */
  public void set(Map<String, Object> keys) throws IOException, ConfigException {
    List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file,
        StandardCharsets.UTF_8)) : new ArrayList<>();
    for (Map.Entry<String, Object> e : keys.entrySet()) {
      replace(lines, e.getKey(), e.getValue());
    }
    write(String.join("\n", lines) + "\n");
  }

  // The key's block: its line at column 0 and the indented or blank lines below it, up to the
  // next top-level line; comment lines right before that line stay with it.
  private static void replace(List<String> lines, String key, Object value) throws IOException {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(key + ":")) {
        start = i;
        break;
      }
    }
    List<String> block = value == null ? List.of()
        : YAML.writeValueAsString(Map.of(key, value)).lines().toList();
    if (start < 0) {
      lines.addAll(block);
      return;
    }
    int end = start + 1;
    while (end < lines.size() && !topLevel(lines.get(end))) {
      end++;
    }
    while (end > start + 1 && (lines.get(end - 1).isBlank()
        || lines.get(end - 1).startsWith("#"))) {
      end--;
    }
    lines.subList(start, end).clear();
    lines.addAll(start, block);
  }

  private static boolean topLevel(String line) {
    return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#");
  }

  private void write(String text) throws IOException, ConfigException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Optional<Set<PosixFilePermission>> mode = Files.exists(file)
          ? Optional.of(Files.getPosixFilePermissions(file)) : Optional.empty();
      if (mode.isPresent()) {
        Files.setPosixFilePermissions(temp, mode.get());
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
      // The same reader as at start: unknown keys and bad values are refused here, not then.
      try {
        Config.load(Optional.of(temp), Map.of(), dir);
      } catch (ConfigException e) {
        throw new ConfigException(e.getMessage().replace(temp.toString(), file.toString()), e);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // the rename itself survives a power cut
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
