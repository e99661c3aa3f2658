package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntryNamesTest {
  @Test
  void refusesAnAbsoluteNameAndEveryDotDotSegment() {
    assertEquals("part 'x': entry '/etc/passwd' has an absolute path; refusing to restore from"
        + " this archive", refused("/etc/passwd"));
    for (String name : new String[] {"..", "../a", "a/..", "a/../b", "./a/../../b", "a/b/../"}) {
      assertEquals("part 'x': entry '" + name + "' climbs out with '..'; refusing to restore"
          + " from this archive", refused(name), name);
    }
    for (String name : new String[] {"a/..b", "...", "a/.../b", "./a/", ".", "a//b", "a/b/"}) {
      assertDoesNotThrow(() -> EntryNames.check(name, "part 'x'"), name);
    }
  }

  @Test
  void countsLengthsInUtf8BytesAsLinuxLimitsThem() {
    assertDoesNotThrow(() -> EntryNames.check("a/" + "x".repeat(255), "part 'x'"));
    assertDoesNotThrow(() -> EntryNames.check("ä".repeat(127) + "x", "part 'x'")); // 255 bytes
    assertDoesNotThrow(() -> EntryNames.check("\uD83D\uDE00".repeat(63) + "xyz", "part 'x'"));
    String tooLongPart = "part 'x': entry '" + "ä".repeat(80) + "...' has a name part that is too"
        + " long (over 255 bytes); refusing to restore from this archive";
    assertEquals(tooLongPart, refused("ä".repeat(128)));
    assertEquals("part 'x': entry '" + "\uD83D\uDE00".repeat(40) + "...' has a name part that"
        + " is too long (over 255 bytes); refusing to restore from this archive",
        refused("\uD83D\uDE00".repeat(64)));

    String path4095 = ("x".repeat(254) + "/").repeat(16) + "x".repeat(15); // 4095 bytes
    assertDoesNotThrow(() -> EntryNames.check(path4095, "part 'x'"));
    assertEquals("part 'x': an entry name is too long (4096 characters, at most 4095 bytes fit"
        + " in a path); refusing to restore from this archive", refused(path4095 + "x"));
  }

  @Test
  void refusesANulByte() {
    assertEquals("part 'x': entry name holds a NUL byte", refused("a\0b"));
  }

  private static String refused(String name) {
    return assertThrows(ArchiveException.Unsafe.class, () -> EntryNames.check(name, "part 'x'"))
        .getMessage();
  }
}
