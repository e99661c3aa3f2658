package io.haven.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LstatTest {
  @TempDir Path tmp;

  @Test
  void tellsWhatJavasLstatTellsForAFileADirectoryAndALinkItself() throws Exception {
    Path file = Files.writeString(tmp.resolve("file.txt"), "twelve bytes");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-01T10:00:00.123456789Z")));
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    Files.setLastModifiedTime(dir, FileTime.from(Instant.parse("1969-12-31T23:59:58Z")));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("file.txt"));

    for (Path p : new Path[] {file, dir, link}) {
      TreeWalk.Attributes fast = Lstat.of(p);
      assertNotNull(fast, "answered natively: " + p);
      assertEquals(javas(p), fast, p.toString());
    }
    assertEquals(0100750, Lstat.of(file).mode());
    assertEquals(12, Lstat.of(file).size());
  }

  @Test
  void answersByNameInsideAnOpenedDirectoryAsByThePath() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    Path file = Files.writeString(dir.resolve("file.txt"), "x");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("missing"));
    Files.writeString(dir.resolve("Küche.yaml"), "x");

    int fd = Lstat.openDirectory(dir);
    try {
      assertEquals(javas(file), Lstat.at(fd, "file.txt"));
      assertEquals(javas(dir.resolve("link")), Lstat.at(fd, "link"), "the link, not its target");
      assertNull(Lstat.at(fd, "Küche.yaml"), "not ASCII: Java's way");
      assertNull(Lstat.at(fd, "gone"));
    } finally {
      Lstat.closeDirectory(fd);
    }
    Path notAscii = Files.createDirectory(tmp.resolve("Bäder"));
    assertEquals(-1, Lstat.openDirectory(notAscii));
    assertNull(Lstat.at(-1, "file.txt"));
  }

  @Test
  void leavesANameThatIsNotAsciiAndAMissingFileToJava() throws Exception {
    Path file = Files.writeString(tmp.resolve("Küche.yaml"), "x");

    assertNull(Lstat.of(file));
    assertEquals(javas(file), TreeWalk.Attributes.of(file));
    assertNull(Lstat.of(tmp.resolve("missing")));
  }

  private static TreeWalk.Attributes javas(Path p) throws Exception {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime",
        LinkOption.NOFOLLOW_LINKS);
    return new TreeWalk.Attributes((Integer) a.get("mode"), (Integer) a.get("uid"),
        (Integer) a.get("gid"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"));
  }
}
