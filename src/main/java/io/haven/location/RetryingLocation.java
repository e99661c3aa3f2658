package io.haven.location;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a Location and tries an operation again, a bounded number of times with a growing pause,
 * when it fails with a transient {@link LocationException.Unreachable}.
 *
 * <p>The rule for callbacks: {@code read} and {@code write} call the callback again from the start
 * with a fresh stream only when the Location's own stream or connection failed (the failure is an
 * {@code Unreachable}, raised by the Location, not by the callback). Any other exception out of a
 * callback — its own source failing, a corrupt archive, a bug — is rethrown at once, because bytes
 * it has already consumed or produced cannot be assumed to be repeatable. A callback used with this
 * class must be able to start over: a writer must produce the whole object again, a reader must
 * discard what it did with a previous, broken stream.
 *
 * <p>A {@code delete} whose retry finds no object counts as done: an earlier attempt removed it and
 * only the answer was lost.
 */
public final class RetryingLocation implements Location {
  /** Pauses between attempts; a test passes one that does not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration pause) throws InterruptedException;
  }

  @FunctionalInterface
  private interface Operation<T> {
    T run() throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(RetryingLocation.class);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final Location delegate;
  private final int attempts;
  private final Duration firstPause;
  private final Sleeper sleeper;

  /** Four attempts, pausing 1 s, 2 s and 4 s between them. */
  public RetryingLocation(Location delegate) {
    this(delegate, 4, Duration.ofSeconds(1), pause -> Thread.sleep(pause.toMillis()));
  }

  RetryingLocation(Location delegate, int attempts, Duration firstPause, Sleeper sleeper) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts < 1: " + attempts);
    }
    this.delegate = delegate;
    this.attempts = attempts;
    this.firstPause = firstPause;
    this.sleeper = sleeper;
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    return retry("list", delegate::list);
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    return retry("stat " + name, () -> delegate.stat(name));
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    return retry("read " + name, () -> delegate.read(name, reader));
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    retry("write " + name, () -> {
      delegate.write(name, writer);
      return null;
    });
  }

  /** Each retry of a resumable Location continues from what the failed attempt stored. */
  @Override
  public void write(String name, ResumableSource source, ResumeRecords records)
      throws IOException {
    retry("write " + name, () -> {
      delegate.write(name, source, records);
      return null;
    });
  }

  @Override
  public void delete(String name) throws IOException {
    boolean[] failedBefore = {false};
    retry("delete " + name, () -> {
      try {
        delegate.delete(name);
      } catch (LocationException.NotFound e) {
        if (!failedBefore[0]) {
          throw e;
        }
      } catch (LocationException.Unreachable e) {
        failedBefore[0] = true;
        throw e;
      }
      return null;
    });
  }

  private <T> T retry(String what, Operation<T> operation) throws IOException {
    Duration pause = firstPause;
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.run();
      } catch (LocationException e) {
        if (!e.transientFailure() || attempt >= attempts) {
          throw e;
        }
        LOG.warn("{} on {} failed (attempt {} of {}), trying again in {} s: {}", what,
            delegate.describe(), attempt, attempts, pause.toSeconds(), e.getMessage());
      }
      pause(pause);
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
  }

  private void pause(Duration pause) throws IOException {
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry on "
          + delegate.describe());
    }
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Optional<Long> freeSpace() throws IOException {
    return retry("free space", delegate::freeSpace);
  }

  @Override
  public Optional<Path> localPath(String name) throws IOException {
    return retry("local path", () -> delegate.localPath(name));
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "Retrying(" + delegate + ")";
  }
}
