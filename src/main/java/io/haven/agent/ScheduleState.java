package io.haven.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.store.BackupStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What the schedule remembers across restarts, per target (".local" or a location name): when it
 * was first seen, its jitter (drawn once, so a restart does not move the time), and when a run
 * last started and last completed. Kept as {@code .haven-schedule.json} in the backup directory,
 * rewritten under a temporary name and renamed.
 */
final class ScheduleState {
  static final String FILE = ".haven-schedule.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final ObjectNode root;

  private ScheduleState(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
  }

  static ScheduleState load(Path backupDir) throws IOException {
    Path file = backupDir.resolve(FILE);
    JsonNode node = null;
    if (Files.isRegularFile(file)) {
      try {
        node = JSON.readTree(file.toFile());
      } catch (IOException e) {
        node = null; // a damaged state file costs at most one extra or one missed-run backup
      }
    }
    return new ScheduleState(file, node instanceof ObjectNode o ? o : JSON.createObjectNode());
  }

  /** The target's jitter, drawn from {@code random} and stored the first time. */
  Duration jitter(String target, RandomGenerator random) {
    ObjectNode t = target(target);
    if (!t.has("jitter_seconds")) {
      t.put("jitter_seconds", random.nextLong(Schedule.MAX_JITTER.toSeconds()));
    }
    return Duration.ofSeconds(t.get("jitter_seconds").asLong());
  }

  /** When the target was first seen, set to {@code now} the first time. */
  Instant since(String target, Instant now) {
    ObjectNode t = target(target);
    if (!t.has("since")) {
      t.put("since", now.toString());
    }
    return Instant.parse(t.get("since").asText());
  }

  Optional<Instant> lastAttempt(String target) {
    return time(target, "last_attempted");
  }

  Optional<Instant> lastCompleted(String target) {
    return time(target, "last_completed");
  }

  void attempted(String target, Instant at) {
    target(target).put("last_attempted", at.toString());
  }

  void completed(String target, Instant at) {
    target(target).put("last_completed", at.toString());
  }

  private Optional<Instant> time(String target, String key) {
    JsonNode v = root.path(target).path(key);
    return v.isTextual() ? Optional.of(Instant.parse(v.asText())) : Optional.empty();
  }

  private ObjectNode target(String name) {
    return root.path(name).isObject() ? (ObjectNode) root.get(name) : root.putObject(name);
  }

  void save() throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(BackupStore.TEMP_PREFIX + FILE);
    try (OutputStream out = Files.newOutputStream(temp)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
