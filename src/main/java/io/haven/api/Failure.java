package io.haven.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import io.haven.failure.ReadOnly;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure as the API answers it: HTTP status, exit code and message, and the error envelope.
 * Expected failures keep their own message; anything else is logged with its stack as a bug.
 */
record Failure(int httpStatus, int exitCode, String message, String type) {
  private static final Logger LOG = LoggerFactory.getLogger(Failure.class);

  static Failure of(Throwable e) {
    Throwable unwrapped = e instanceof UncheckedIOException && e.getCause() != null
        ? e.getCause() : e;
    Throwable t = ReadOnly.of(unwrapped).map(Throwable.class::cast).orElse(unwrapped);
    if (t instanceof ExpectedFailure f) {
      return new Failure(f.httpStatus(), f.exitCode(), f.getMessage(),
          t.getClass().getSimpleName());
    }
    if (t instanceof JsonProcessingException j) {
      return new Failure(400, ExitCode.USAGE, "The request body is not valid JSON: "
          + j.getOriginalMessage(), "BadRequest");
    }
    LOG.error("Unexpected failure; please report this with the lines below.", t);
    return new Failure(500, ExitCode.BUG, "unexpected failure: " + t
        + ". The agent's log has the details; please report it.", "Bug");
  }

  /** The Supervisor's error envelope. */
  ObjectNode envelope() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("result", "error");
    o.put("message", message);
    // Haven's addition: the failure's kind (WrongPassword, Busy, ...), which the web panel words.
    o.put("type", type);
    return o;
  }
}
