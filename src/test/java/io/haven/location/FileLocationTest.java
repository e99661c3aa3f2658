package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void freeSpaceIsKnown() throws IOException {
    assertTrue(location.capabilities().knowsFreeSpace());
    assertTrue(location.freeSpace().orElseThrow() > 0);
  }
}
