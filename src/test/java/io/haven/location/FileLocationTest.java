package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocationTest extends LocationContract {
  @TempDir
  Path root;

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(LocationSpec.of("local", root.resolve(folder).toUri().toString()));
  }

  @Override
  Path storage(String folder) {
    return root.resolve(folder);
  }

  @Test
  void foreignAndHiddenFilesAreNotListed() throws IOException {
    Files.writeString(root.resolve(folder).resolve(".a.tar.1234.haven-tmp"), "partial");
    Files.writeString(root.resolve(folder).resolve("with blank.tar"), "x");
    Files.createDirectory(root.resolve(folder).resolve("subdir"));
    location.write("a.tar", out -> out.write(1));
    assertEquals(List.of("a.tar"), location.list().stream().map(ArchiveInfo::name).toList());
  }

  @Test
  void localPathIsTheFinishedFileOnlyAndPassesThroughRetrying() throws IOException {
    location.write("a.tar", out -> out.write(new byte[] {1, 2, 3}));
    Files.writeString(root.resolve(folder).resolve(".b.tar.1234.haven-tmp"), "partial");
    Location retrying = new RetryingLocation(location);

    Path file = retrying.localPath("a.tar").orElseThrow();
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    assertEquals(root.resolve(folder).resolve("a.tar").toAbsolutePath(), file);
    assertEquals(Optional.empty(), location.localPath("b.tar"), "a temporary is no object");
    assertEquals(Optional.empty(), location.localPath("missing.tar"));
    assertThrows(IllegalArgumentException.class, () -> location.localPath("../a.tar"));
  }

  @Test
  void freeSpaceIsKnown() throws IOException {
    assertTrue(location.capabilities().knowsFreeSpace());
    assertTrue(location.freeSpace().orElseThrow() > 0);
  }
}
