package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Supervisor's job manager options ({@code POST /jobs/options}, {@code POST /jobs/reset}):
 * the {@code ignore_conditions} list, checked against the Supervisor's job conditions and kept in
 * {@value #FILE} in the backup directory, as the Supervisor keeps them in its jobs.json. Haven's
 * jobs check none of those conditions (its free-space check is a preflight of its own), so the
 * list is stored and reported and changes nothing else.
 */
final class JobOptions {
  static final String FILE = ".haven-jobs.json";
  static final String IGNORE_CONDITIONS = "ignore_conditions";

  // The Supervisor's JobCondition values (supervisor/jobs/const.py, 2025).
  private static final Set<String> CONDITIONS = Set.of("auto_update", "free_space", "frozen",
      "haos", "healthy", "home_assistant_core_supported", "host_network", "internet_host",
      "internet_system", "mount_available", "os_agent", "os_supported", "plugins_updated",
      "running", "supervisor_updated");

  private final Path file;

  JobOptions(Path backupDir) {
    this.file = backupDir.resolve(FILE);
  }

  /** The stored list, in the order given; empty until options set one. */
  synchronized List<String> ignoreConditions() {
    List<String> conditions = new ArrayList<>();
    JsonFiles.read(file).path(IGNORE_CONDITIONS).forEach(c -> conditions.add(c.asText()));
    return conditions;
  }

  /** Applies an options body; a body without {@code ignore_conditions} changes nothing. */
  synchronized void apply(JsonNode body) throws IOException {
    if (!body.has(IGNORE_CONDITIONS)) {
      return;
    }
    JsonNode given = body.get(IGNORE_CONDITIONS);
    if (!given.isArray()) {
      throw new ApiException.BadRequest("ignore_conditions must be a list of job conditions,"
          + " such as [\"free_space\"]");
    }
    ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
    for (JsonNode c : given) {
      if (!c.isTextual() || !CONDITIONS.contains(c.asText())) {
        throw new ApiException.BadRequest("Unknown job condition " + c + " in ignore_conditions."
            + " Use some of " + CONDITIONS.stream().sorted().toList() + ".");
      }
      conditions.add(c.asText());
    }
    save(conditions);
  }

  /** Back to the defaults: no ignored conditions. */
  synchronized void reset() throws IOException {
    save(JsonNodeFactory.instance.arrayNode());
  }

  private void save(ArrayNode conditions) throws IOException {
    ObjectNode all = JsonFiles.read(file);
    all.set(IGNORE_CONDITIONS, conditions);
    JsonFiles.write(file, all);
  }
}
