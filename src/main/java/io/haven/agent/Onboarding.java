package io.haven.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.archive.Part;
import io.haven.store.JsonFiles;
import io.haven.tree.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the device still waits to be set up, so that the onboarding page may restore a backup
 * onto it without the API token. A recorded fact, not a look at the data root per call (a
 * restore's swap briefly leaves {@code config/} missing, and a share-only backup restored in
 * full leaves none): open until {@value #FILE} exists in the backup directory, which is written
 * once (temporary name, fsync, rename) when a restore completes or the agent starts with a
 * Home Assistant configuration in place. Removing that file by hand opens onboarding again at
 * the next start, if the data root holds no configuration then.
 */
public final class Onboarding {
  static final String FILE = ".haven-set-up.json";
  private static final Logger LOG = LoggerFactory.getLogger(Onboarding.class);

  private final Path file;
  private final Clock clock;
  private volatile boolean open;

  Onboarding(Path backupDir, Clock clock) {
    this.file = backupDir.resolve(FILE);
    this.clock = clock;
    this.open = !Files.exists(file);
  }

  /** True while the device is not set up: no restore completed, never started configured. */
  public boolean open() {
    return open;
  }

  /** At the agent's start: a data root that holds a configuration ends onboarding. */
  void closeIfConfigured(DataRoot root) {
    if (open && holdsConfiguration(root)) {
      close("started with a Home Assistant configuration");
    }
  }

  /**
   * Ends onboarding for good. Closed in memory first, so a backup directory that cannot be
   * written only costs the record (a warning), never opens the device.
   */
  void close(String why) {
    if (!open) {
      return;
    }
    open = false;
    try {
      JsonFiles.write(file, JsonNodeFactory.instance.objectNode()
          .put("set_up", clock.instant().toString()).put("by", why));
      LOG.info("This device is set up ({}); the onboarding page now needs the token.", why);
    } catch (IOException e) {
      LOG.warn("Could not record that this device is set up ({}): {}. Onboarding stays closed"
          + " until Haven restarts.", why, e.getMessage());
    }
  }

  private static boolean holdsConfiguration(DataRoot root) {
    try (Stream<Path> entries = Files.list(root.dirOf(Part.homeAssistant()))) {
      return entries.findAny().isPresent();
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true; // unreadable is not "empty": never leave the device open over an I/O error
    }
  }
}
