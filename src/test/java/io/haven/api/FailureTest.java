package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.failure.ExitCode;
import io.haven.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** How the API words a failure: the caller's mistakes are 4xx, a broken invariant is a bug. */
class FailureTest {
  // Before: any IllegalArgumentException was a 400 "bad request", so a broken invariant deep in
  // Haven looked like the caller's mistake and was never reported.
  @Test
  void anIllegalArgumentExceptionIsABugNotABadRequest() {
    Failure f = Failure.of(new IllegalArgumentException("an invariant broke"));
    assertEquals(500, f.httpStatus());
    assertEquals(ExitCode.BUG, f.exitCode());
    assertEquals("Bug", f.type());
    assertTrue(f.message().contains("please report it"), f.message());
  }

  @Test
  void expectedFailuresKeepTheirStatusAndWords() {
    Failure bad = Failure.of(new ApiException.BadRequest("the request body must be a JSON object"));
    assertEquals(400, bad.httpStatus());
    assertEquals(ExitCode.USAGE, bad.exitCode());
    Failure missing = Failure.of(new UncheckedIOException(new StoreException.NotFound("No backup")));
    assertEquals(404, missing.httpStatus());
    assertEquals("No backup", missing.message());
  }

  @Test
  void aReadOnlyDiskIsSaidAsSuchNamingTheFolderNotHavensFile() {
    IOException e = new FileSystemException("/backup/.haven.lock", null, "Read-only file system");
    Failure f = Failure.of(e);
    assertEquals(503, f.httpStatus());
    assertEquals(ExitCode.READ_ONLY, f.exitCode());
    assertTrue(f.message().startsWith("Haven cannot write to /backup: its disk is mounted"
        + " read-only"), f.message());
  }
}
