package io.haven.location;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a resumable Location remembers of its unfinished writes between runs: per location and
 * object name, a small JSON record (the source's size and fingerprint, an S3 upload id and the
 * parts already stored). Kept in one JSON file, rewritten under a temporary name and renamed, so a
 * crash leaves the old or the new file. A lost or unreadable file only means starting over.
 */
public final class ResumeRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> file;
  private ObjectNode memory = JSON.createObjectNode();

  private ResumeRecords(Optional<Path> file) {
    this.file = file;
  }

  /** Records kept in {@code file}, which need not exist yet. */
  public static ResumeRecords in(Path file) {
    return new ResumeRecords(Optional.of(file));
  }

  /** Records kept in memory only: a write resumes within this run (a retry), not after it. */
  public static ResumeRecords inMemory() {
    return new ResumeRecords(Optional.empty());
  }

  /** The record of the unfinished write of {@code name} to {@code location}, if any. */
  public synchronized Optional<ObjectNode> get(String location, String name) throws IOException {
    JsonNode node = load().path(location).path(name);
    return node.isObject() ? Optional.of(((ObjectNode) node).deepCopy()) : Optional.empty();
  }

  /** Remembers {@code record} for the write of {@code name} to {@code location}. */
  public synchronized void put(String location, String name, ObjectNode record)
      throws IOException {
    ObjectNode all = load();
    JsonNode place = all.path(location);
    ObjectNode node = place.isObject() ? (ObjectNode) place : all.putObject(location);
    node.set(name, record.deepCopy());
    save(all);
  }

  /** Forgets the write of {@code name} to {@code location}: it finished or was given up. */
  public synchronized void remove(String location, String name) throws IOException {
    ObjectNode all = load();
    if (all.path(location).isObject()) {
      ObjectNode place = (ObjectNode) all.get(location);
      place.remove(name);
      if (place.isEmpty()) {
        all.remove(location);
      }
      save(all);
    }
  }

  private ObjectNode load() throws IOException {
    if (file.isEmpty()) {
      return memory;
    }
    if (!Files.exists(file.get())) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(file.get().toFile());
      return node instanceof ObjectNode object ? object : JSON.createObjectNode();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      // A damaged record only costs a fresh start of the unfinished writes.
      return JSON.createObjectNode();
    }
  }

  private void save(ObjectNode all) throws IOException {
    if (file.isEmpty()) {
      memory = all;
      return;
    }
    Path temp = file.get().resolveSibling(file.get().getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      JSON.writeValue(out, all);
    }
    Files.move(temp, file.get(), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
