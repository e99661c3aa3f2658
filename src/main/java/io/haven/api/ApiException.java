package io.haven.api;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/** Why a call to the agent was refused or failed; the HTTP status and exit code travel with it. */
public abstract sealed class ApiException extends IOException implements ExpectedFailure
    permits ApiException.Unauthorized, ApiException.Forbidden, ApiException.NoSuchCall,
    ApiException.BadRequest, ApiException.TooMany, ApiException.ClientGone, ApiException.Remote {
  private final int exitCode;
  private final int httpStatus;

  ApiException(String message, int exitCode, int httpStatus) {
    super(message);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  @Override
  public int exitCode() {
    return exitCode;
  }

  @Override
  public int httpStatus() {
    return httpStatus;
  }

  /** No bearer token, or a wrong one. */
  public static final class Unauthorized extends ApiException {
    Unauthorized(String message) {
      super(message, ExitCode.USAGE, 401);
    }
  }

  /**
   * A browser's state-changing call without the panel's request header: another site's page
   * may have sent it, so it is refused whatever cookie came with it.
   */
  public static final class Forbidden extends ApiException {
    Forbidden(String message) {
      super(message, ExitCode.USAGE, 403);
    }
  }

  /** No endpoint or socket command of that name, or no job of that id. */
  public static final class NoSuchCall extends ApiException {
    NoSuchCall(String message) {
      super(message, ExitCode.NOT_FOUND, 404);
    }
  }

  /** A request naming something the agent does not have, such as an unknown location. */
  public static final class BadRequest extends ApiException {
    BadRequest(String message) {
      super(message, ExitCode.USAGE, 400);
    }
  }

  /** More of one kind of call at once than the agent serves (429). */
  public static final class TooMany extends ApiException {
    TooMany(String message) {
      super(message, ExitCode.BUSY, 429);
    }
  }

  /**
   * The caller went away: its request body stopped coming (the connection closed or went
   * silent), or it closed the connection while the answer was being sent. Nobody waits for an
   * answer; a job that read the body ends as cancelled, and nothing is kept.
   */
  public static final class ClientGone extends ApiException {
    private final boolean whileAnswering;

    private ClientGone(String message, boolean whileAnswering, IOException cause) {
      super(message, ExitCode.CANCELLED, 400);
      this.whileAnswering = whileAnswering;
      initCause(cause);
    }

    static ClientGone midUpload(IOException cause) {
      return new ClientGone("The upload stopped before its end (the connection was closed or"
          + " went silent); nothing was kept. Upload the file again.", false, cause);
    }

    static ClientGone midAnswer(IOException cause) {
      return new ClientGone("The caller closed the connection before the answer was sent ("
          + cause.getMessage() + ").", true, cause);
    }

    /** The connection is gone, so there is nobody to send a failure to. */
    boolean whileAnswering() {
      return whileAnswering;
    }
  }

  /**
   * A failure the agent reported over its socket: the message, exit code and status it had
   * there, so the command line prints and exits exactly as if it had done the work itself.
   */
  public static final class Remote extends ApiException {
    Remote(String message, int exitCode, int httpStatus) {
      super(message, exitCode, httpStatus);
    }
  }
}
