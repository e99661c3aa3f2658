package io.haven.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.haven.tree.DataRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-file restore killed halfway through its swap is rolled back on the next start. */
class InPlaceRecoveryTest {
  @TempDir Path tmp;

  @Test
  void fileRestoreKilledAfterTheRenameIsUndoneAndItsScratchRemoved() throws Exception {
    Path root = tmp.resolve("data");
    Path target = root.resolve("share/notes/today.txt");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "current");
    Path side = target.getParent().resolve(DataRoot.RESERVED_PREFIX + "file-x");
    Path payload = side.resolve("new/today.txt");
    Path old = side.resolve("old/today.txt");
    Files.createDirectories(payload.getParent());
    Files.createDirectories(old.getParent());
    Files.writeString(payload, "from the backup");
    Path work = root.resolve(Restorer.WORK_PREFIX + "x");
    Files.createDirectory(work);
    new RestoreJournal(RestoreJournal.State.SWAPPING, List.of(new RestoreJournal.Swap(
        target.toString(), payload.toString(), old.toString(), true)),
        List.of(side.toString())).save(work);
    // The swap's two steps, then the kill.
    Files.createLink(old, target);
    Files.move(payload, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    assertEquals(1, Restorer.recover(new DataRoot(root)));

    assertEquals("current", Files.readString(target));
    assertFalse(Files.exists(side), "scratch beside the target is removed");
    assertFalse(Files.exists(work));
  }
}
