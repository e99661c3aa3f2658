package io.haven.agent;

import io.haven.config.Config;
import io.haven.config.Offsite;
import io.haven.config.Offsite.Recurrence;
import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import io.haven.store.StoreException;
import io.haven.tree.Progress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's timer for automatic backups: waits until {@link ScheduledRun#nextRun()}, then runs
 * the cycle as the job {@value #JOB} under the job lock, so it shows in the jobs API and on MQTT
 * like any other job. When the lock is taken (a job here, or a command beside the agent) the
 * cycle waits a while ({@link #RETRY} by default) and tries again; it never overlaps another job. {@link #close()}
 * ends the wait at once; a cycle already running is the jobs' to cancel.
 */
final class ScheduleTimer implements AutoCloseable {
  static final String JOB = "haven_scheduled_backup";
  /** How long a cycle that found the job lock taken waits before it tries again, by default. */
  static final Duration RETRY = Duration.ofMinutes(1);
  /** How long the timer waits after the schedule's state could not be read. */
  private static final Duration AFTER_ERROR = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleTimer.class);

  /** Told the time of the next cycle whenever it changes; empty once there is none. */
  @FunctionalInterface
  interface Listener {
    void next(Optional<Instant> at);
  }

  private final ScheduledRun cycle;
  private final Jobs jobs;
  private final Clock clock;
  private final Duration retry;
  private final Listener listener;
  private final Thread thread;
  private volatile Optional<Instant> next = Optional.empty();
  private boolean closed; // guarded by this

  private ScheduleTimer(ScheduledRun cycle, Jobs jobs, Clock clock, Duration retry,
      Listener listener) {
    this.cycle = cycle;
    this.jobs = jobs;
    this.clock = clock;
    this.retry = retry;
    this.listener = listener;
    this.thread = new Thread(this::loop, "haven-schedule");
    thread.setDaemon(true);
  }

  /** True when the config schedules automatic backups anywhere; otherwise no timer runs. */
  static boolean configured(Config config) {
    Offsite offsite = config.offsite();
    return offsite.schedule().recurrence() != Recurrence.NEVER
        || offsite.locations().values().stream().anyMatch(l -> l.schedule()
            .filter(s -> s.recurrence() != Recurrence.NEVER).isPresent());
  }

  /** Starts the timer's thread; a cycle that finds the lock taken waits {@code retry}. */
  static ScheduleTimer start(ScheduledRun cycle, Jobs jobs, Clock clock, Duration retry,
      Listener listener) {
    ScheduleTimer timer = new ScheduleTimer(cycle, jobs, clock, retry, listener);
    timer.thread.start();
    return timer;
  }

  /** When the next cycle starts; empty while none is planned. */
  Optional<Instant> next() {
    return next;
  }

  private void loop() {
    while (!isClosed()) {
      Optional<ZonedDateTime> at;
      try {
        at = cycle.nextRun();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Could not plan the next automatic backup: {}. Trying again in {}.",
            e.getMessage(), AFTER_ERROR);
        pause(AFTER_ERROR);
        continue;
      }
      announce(at.map(ZonedDateTime::toInstant));
      if (at.isEmpty() || !waitUntil(at.get().toInstant())) {
        return;
      }
      runWhenFree();
    }
  }

  private void announce(Optional<Instant> at) {
    next = at;
    at.ifPresentOrElse(t -> LOG.info("Next automatic backup at {}.", t),
        () -> LOG.info("No automatic backup is scheduled."));
    listener.next(at);
  }

  /** Starts the cycle as a job and waits for it; a taken lock postpones it by the retry. */
  private void runWhenFree() {
    while (!isClosed()) {
      try {
        Job job = jobs.start(JOB, Optional.empty(), Progress.NONE,
            (session, j) -> checked(cycle.run(session, j)),
            (ScheduledRun.Result r) -> r.backup().orElse(null));
        Service.await(job);
        return;
      } catch (StoreException.Busy e) {
        LOG.info("Automatic backup postponed by {}: {}", retry, e.getMessage());
        pause(retry);
      } catch (JobCancelled e) {
        return; // Haven is stopping
      } catch (IOException e) {
        LOG.warn("Automatic backup could not start: {}", e.getMessage());
        return;
      }
    }
  }

  /** A cycle whose copies or retention failed is a failed job: the LED and MQTT show it. */
  private static ScheduledRun.Result checked(ScheduledRun.Result r) throws CycleFailed {
    if (!r.ok()) {
      throw new CycleFailed("Automatic backup " + r.backup().map(s -> "'" + s + "' was made, but ")
          .orElse("") + String.join("; ", r.failures()) + ". Check the location with 'haven"
          + " locations test NAME'; the next cycle tries again.");
    }
    return r;
  }

  /** Waits until {@code at} by the clock; false when closed first. */
  private synchronized boolean waitUntil(Instant at) {
    while (!closed) {
      long millis = Duration.between(clock.instant(), at).toMillis();
      if (millis <= 0) {
        return true;
      }
      try {
        wait(millis);
      } catch (InterruptedException e) {
        return false;
      }
    }
    return false;
  }

  private void pause(Duration d) {
    waitUntil(clock.instant().plus(d));
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Ends the wait; stopping the jobs then keeps a cycle that was about to start from it. */
  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Copies or retention of an automatic cycle failed after its backup was made. */
  static final class CycleFailed extends IOException implements ExpectedFailure {
    CycleFailed(String message) {
      super(message);
    }

    @Override
    public int exitCode() {
      return ExitCode.LOCATION;
    }

    @Override
    public int httpStatus() {
      return 502;
    }
  }
}
