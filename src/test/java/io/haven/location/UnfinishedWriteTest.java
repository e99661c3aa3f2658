package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnfinishedWriteTest {
  private static ResumableSource source(long size, String fingerprint) {
    return new ResumableSource() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public String fingerprint() {
        return fingerprint;
      }

      @Override
      public InputStream openAt(long offset) {
        return new ByteArrayInputStream(new byte[0]);
      }
    };
  }

  @Test
  void aStartedWriteReadsBackFromItsRecordAndContinuesTheSameSource() {
    UnfinishedWrite write = UnfinishedWrite.start(source(10, "t1"), "a.tar");
    assertEquals(Optional.of(write), UnfinishedWrite.from(write.toJson()));
    assertTrue(write.continues(source(10, "t1"), "a.tar"));
    assertTrue(write.temp().startsWith(".a.tar.") && write.temp().endsWith(Names.TEMP_SUFFIX),
        write.temp());
  }

  @Test
  void anotherSizeFingerprintOrNameStartsOver() {
    UnfinishedWrite write = UnfinishedWrite.start(source(10, "t1"), "a.tar");
    assertFalse(write.continues(source(11, "t1"), "a.tar"));
    assertFalse(write.continues(source(10, "t2"), "a.tar"));
    assertFalse(write.continues(source(10, "t1"), "b.tar"));
  }

  @Test
  void anEditedRecordCannotPointOutsideTheTemporariesOfItsName() {
    for (String temp : new String[] {"a.tar", ".a.tar.x/../../etc" + Names.TEMP_SUFFIX,
        ".a.tar.x\\y" + Names.TEMP_SUFFIX, ".b.tar.x" + Names.TEMP_SUFFIX}) {
      UnfinishedWrite edited = new UnfinishedWrite(10, "t1", temp);
      assertFalse(edited.holdsTemporaryOf("a.tar"), temp);
      assertFalse(edited.continues(source(10, "t1"), "a.tar"), temp);
    }
  }

  @Test
  void aDamagedRecordIsNoRecord() {
    ObjectNode damaged = JsonNodeFactory.instance.objectNode().put("size", "ten")
        .put("fingerprint", "t1").put("temp", ".a.tar.x" + Names.TEMP_SUFFIX);
    assertEquals(Optional.empty(), UnfinishedWrite.from(damaged));
    assertEquals(Optional.empty(), UnfinishedWrite.from(JsonNodeFactory.instance.objectNode()));
  }
}
