package io.haven.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Haven knows of the archives in each location, so that listing a location does not
 * download archives it has seen before: per location and object name, the size it had, its
 * backup.json and, once a copy was read back and compared, its SHA-256. An entry counts only while
 * the object still has that size. Kept as {@code .haven-offsite.json} in the backup directory,
 * rewritten atomically ({@link JsonFiles}); a lost or unreadable file only costs downloads.
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

  /** One archive the catalog knows, in the location it is in. */
  public record Known(String location, String name, Entry entry) {}

  /**
   * Every archive the catalog knows, in every location; entries that can no longer be read are
   * left out. Says where Haven last saw copies, without asking any location.
   */
  public synchronized List<Known> all() {
    List<Known> known = new ArrayList<>();
    ObjectNode all = load();
    for (Map.Entry<String, JsonNode> place : iterable(all.fields())) {
      for (Map.Entry<String, JsonNode> e : iterable(place.getValue().fields())) {
        entry(e.getKey(), e.getValue()).ifPresent(entry -> known.add(
            new Known(place.getKey(), e.getKey(), entry)));
      }
    }
    return known;
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }

  private static Optional<Entry> entry(String name, JsonNode node) {
    try {
      return Optional.of(new Entry(node.path("size").asLong(), BackupJson.read(
          new ByteArrayInputStream(JSON.writeValueAsBytes(node.path("backup"))),
          "cached '" + name + "'"), Optional.ofNullable(node.path("sha256").asText(null))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a cache entry that no longer reads is found again by listing
    }
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

  // A lost or damaged catalog is rebuilt by reading the archives again.
  private ObjectNode load() {
    return JsonFiles.read(file);
  }

  private void save(ObjectNode all) throws IOException {
    JsonFiles.write(file, all);
  }
}
