package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void homeAssistantSlugsAndUnicodeAreAccepted() {
    for (String good : new String[] {"a1b2c3d4.tar", "Backup_2026-11-25.tar", "daten-ü.tar",
        "x"}) {
      assertEquals(good, Names.check(good));
    }
  }

  @Test
  void eachRuleNamesItsReason() {
    assertReason("", "a name is needed");
    assertReason("a/b.tar", "no '/'");
    assertReason("..", "'.' and '..'");
    assertReason(".profile", "no leading '.'");
    assertReason("x.tar.haven-tmp", "reserved for unfinished writes");
    assertReason("a b.tar", "no blanks");
    assertReason("a\nb.tar", "control characters");
    assertReason("a?.tar", "SMB shares reject them");
    assertReason("a".repeat(201), "at most 200 bytes");
  }

  @Test
  void controlCharactersAreEscapedInTheMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Names.check("a\u001b[2Jb"));
    assertTrue(e.getMessage().contains("a\\u001b[2Jb"), e.getMessage());
  }

  @Test
  void temporaryNamesAreNeverValidNames() {
    String temp = Temporaries.forName("a1b2c3d4.tar");
    assertFalse(Names.isValid(temp), temp);
    assertTrue(temp.startsWith(".a1b2c3d4.tar."), temp);
  }

  @Test
  void archiveInfoCannotHoldAnInvalidValue() {
    assertThrows(IllegalArgumentException.class, () -> new ArchiveInfo("../x", 1, Instant.EPOCH));
    assertThrows(IllegalArgumentException.class, () -> new ArchiveInfo("x", -1, Instant.EPOCH));
  }

  private static void assertReason(String name, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Names.check(name));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(Names.isValid(name));
  }
}
