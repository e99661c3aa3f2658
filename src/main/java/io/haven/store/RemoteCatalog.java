package io.haven.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What Haven knows of the archives in each location, so that listing a location does not
 * download archives it has seen before: per location and object name, the size it had, its
 * backup.json and, once a copy was read back and compared, its SHA-256. An entry counts only while
 * the object still has that size. Kept as {@code .haven-offsite.json} in the backup directory,
 * rewritten under a temporary name and renamed; a lost or unreadable file only costs downloads.
 */
public final class RemoteCatalog {
  static final String FILE = ".haven-offsite.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One remote archive as last seen. {@code sha256} is empty until a copy was verified. */
  public record Entry(long size, BackupMetadata metadata, Optional<String> sha256) {}

  private final Path file;

  public RemoteCatalog(Path backupDir) {
    this.file = backupDir.resolve(FILE);
  }

  /** The entry for {@code name} in {@code location}, if it was seen with exactly {@code size}. */
  public synchronized Optional<Entry> get(String location, String name, long size)
      throws IOException {
    JsonNode node = load().path(location).path(name);
    if (!node.isObject() || node.path("size").asLong(-1) != size) {
      return Optional.empty();
    }
    BackupMetadata metadata = BackupJson.read(new ByteArrayInputStream(
        JSON.writeValueAsBytes(node.path("backup"))), "cached '" + name + "'");
    return Optional.of(new Entry(size, metadata,
        Optional.ofNullable(node.path("sha256").asText(null))));
  }

  public synchronized void put(String location, String name, Entry entry) throws IOException {
    ObjectNode all = load();
    ObjectNode node = objectAt(all, location).putObject(name);
    node.put("size", entry.size());
    entry.sha256().ifPresent(s -> node.put("sha256", s));
    node.set("backup", JSON.readTree(BackupJson.write(entry.metadata())));
    save(all);
  }

  public synchronized void forget(String location, String name) throws IOException {
    ObjectNode all = load();
    if (all.path(location).isObject()) {
      ((ObjectNode) all.get(location)).remove(name);
      save(all);
    }
  }

  private static ObjectNode objectAt(ObjectNode parent, String key) {
    return parent.path(key).isObject() ? (ObjectNode) parent.get(key) : parent.putObject(key);
  }

  private ObjectNode load() {
    try {
      JsonNode node = Files.exists(file) ? JSON.readTree(file.toFile()) : null;
      return node instanceof ObjectNode o ? o : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode(); // a cache: rebuilt by reading the archives again
    }
  }

  private void save(ObjectNode all) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(BackupStore.TEMP_PREFIX + FILE);
    try (OutputStream out = Files.newOutputStream(temp)) {
      JSON.writeValue(out, all);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
