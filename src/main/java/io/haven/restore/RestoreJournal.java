package io.haven.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The restore's plan and state, in {@code journal.json} of its working directory, replaced
 * atomically at each step so a crash leaves one of its states on disk:
 * STAGING (nothing in the data root changed yet), SWAPPING (some parts may be swapped; roll
 * back), COMMITTED (all swapped; only the old copies remain to delete).
 */
record RestoreJournal(State state, List<Swap> swaps, List<String> scratch) {
  enum State {
    STAGING,
    SWAPPING,
    COMMITTED
  }

  /**
   * One directory to replace. {@code payload} is the staged new content (null when the target is
   * only to be removed), {@code old} where the current content is moved, {@code existed} whether
   * the target was there before.
   */
  record Swap(String target, String payload, String old, boolean existed) {}

  static final String FILE = "journal.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  RestoreJournal {
    swaps = List.copyOf(swaps);
    scratch = scratch == null ? List.of() : List.copyOf(scratch); // absent in older journals
  }

  RestoreJournal(State state, List<Swap> swaps) {
    this(state, swaps, List.of());
  }

  RestoreJournal with(State s) {
    return new RestoreJournal(s, swaps, scratch);
  }

  void save(Path workDir) throws IOException {
    Path tmp = workDir.resolve(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(this)));
      ch.force(true);
    }
    Files.move(tmp, workDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    Durability.syncDirectory(workDir);
  }

  static RestoreJournal load(Path workDir) throws IOException {
    return JSON.readValue(workDir.resolve(FILE).toFile(), RestoreJournal.class);
  }
}
