package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hierynomus.smbj.common.SMBRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/**
 * A Location's stream failures are worded as location failures (and retried) only when they are
 * the library's own; a bug such as a NullPointerException passes unchanged.
 */
class GuardedStreamsTest {
  private static OutputStream failingWith(RuntimeException e) {
    return new FilterOutputStream(new ByteArrayOutputStream()) {
      @Override
      public void write(byte[] b, int off, int len) {
        throw e;
      }
    };
  }

  private static LocationException unreachable(Exception e) {
    return new LocationException.Unreachable("Lost the connection: " + e.getMessage(), e);
  }

  @Test
  void aNullPointerExceptionIsABugNotAnUnreachableServer() throws Exception {
    NullPointerException bug = new NullPointerException("a bug");
    OutputStream smb = GuardedStreams.output(failingWith(bug), SMBRuntimeException.class,
        GuardedStreamsTest::unreachable);
    assertEquals(bug, assertThrows(NullPointerException.class, () -> smb.write(new byte[1])));
    OutputStream sftp = GuardedStreams.output(failingWith(bug), GuardedStreamsTest::unreachable);
    assertEquals(bug, assertThrows(NullPointerException.class, () -> sftp.write(new byte[1])));
  }

  @Test
  void theLibrarysOwnUncheckedFailureIsTheLocations() {
    SMBRuntimeException dropped = new SMBRuntimeException("connection dropped");
    OutputStream smb = GuardedStreams.output(failingWith(dropped), SMBRuntimeException.class,
        GuardedStreamsTest::unreachable);
    LocationException e = assertThrows(LocationException.Unreachable.class,
        () -> smb.write(new byte[1]));
    assertEquals(dropped, e.getCause());
  }
}
