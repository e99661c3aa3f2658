package io.haven.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTimesTest {
  @TempDir Path tmp;

  @Test
  void setsAFilesTimeToTheMicrosecondAndALinksOwnTimeNotItsTargets() throws Exception {
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), file.getFileName());
    FileTime fileTime = FileTime.from(Instant.parse("2024-05-01T10:00:00.123456Z"));
    FileTime linkTime = FileTime.from(Instant.parse("1969-12-31T23:59:58.5Z")); // before 1970

    FileTimes.set(file, fileTime);
    FileTimes.set(link, linkTime);

    assertEquals(fileTime, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
    assertEquals(linkTime, Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals(fileTime, Files.getLastModifiedTime(link), "the target kept its own time");
  }

  @Test
  void setsTheTimeOfAFileWhoseNameIsNotAscii() throws Exception {
    Path file = Files.writeString(tmp.resolve("Küche.yaml"), "x");
    FileTime time = FileTime.from(Instant.parse("2021-01-02T03:04:05Z"));

    FileTimes.set(file, time);

    assertEquals(time, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
  }
}
