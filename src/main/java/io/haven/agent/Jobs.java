package io.haven.agent;

import io.haven.store.StoreException;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's jobs: one backup, restore or import at a time, each run under a {@link
 * Backups.Session} (the job lock, so a command run beside the agent is refused too), and the last
 * {@value #KEPT} jobs remembered for the jobs API. A second job while one runs fails with "busy:
 * job <id> (<name>) is running".
 */
public final class Jobs {
  /** How many finished jobs {@link #all()} still shows. */
  public static final int KEPT = 50;
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  /** A job's work, given its session and the job as its progress. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Backups.Session session, Job job) throws IOException;
  }

  /** Told when a job starts a stage or ends, for systemd's status line. */
  @FunctionalInterface
  public interface Listener {
    void changed(Job job);
  }

  private final Backups backups;
  private final Clock clock;
  private final Listener listener;
  private final Deque<Job> jobs = new ArrayDeque<>();
  private Job running;
  private boolean closed;

  public Jobs(Backups backups, Clock clock, Listener listener) {
    this.backups = backups;
    this.clock = clock;
    this.listener = listener;
  }

  public Backups backups() {
    return backups;
  }

  /**
   * Starts {@code work} on its own thread and returns its job at once. Fails Busy, before any
   * work, when a job runs here or another process holds the job lock.
   *
   * @param reference the slug the job works on, when known before it starts
   * @param watcher also told the job's stages and bytes, on the job's thread
   */
  public <T> Job start(String name, Optional<String> reference, Progress watcher, Work<T> work,
      Function<T, String> slugOf) throws IOException {
    Job job = new Job(name, clock.instant(), listener, watcher);
    reference.ifPresent(job::reference);
    Backups.Session session = begin(job);
    Thread t = new Thread(() -> run(job, session, work, slugOf), "haven-" + name);
    t.start();
    return job;
  }

  /** Runs {@code work} as a job on the calling thread; returns the ended job. */
  public <T> Job run(String name, Work<T> work, Function<T, String> slugOf)
      throws IOException {
    Job job = new Job(name, clock.instant(), listener, Progress.NONE);
    run(job, begin(job), work, slugOf);
    return job;
  }

  private synchronized Backups.Session begin(Job job) throws IOException {
    if (closed) {
      throw new JobCancelled("Haven is stopping; start the job again once it runs.");
    }
    if (running != null) {
      throw new StoreException.Busy("busy: " + running.label()
          + " is running; wait for it to finish");
    }
    Backups.Session session = backups.open(job.label());
    running = job;
    jobs.addFirst(job);
    while (jobs.size() > KEPT) {
      jobs.removeLast();
    }
    return session;
  }

  private <T> void run(Job job, Backups.Session session, Work<T> work,
      Function<T, String> slugOf) {
    LOG.info("{} started", job.label());
    T value = null;
    IOException failure = null;
    try (session) {
      value = work.run(session, job);
      job.reference(slugOf.apply(value));
    } catch (UncheckedIOException e) {
      failure = e.getCause();
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      LOG.error("{} failed unexpectedly; please report this.", job.label(), e);
      failure = new IOException("unexpected failure: " + e, e);
    }
    end(job, value, failure);
  }

  // The session (the job lock file) is closed by now. Under this monitor the job stops running
  // and is marked ended in one step: whoever sees it done (a waiter, a poller, stop()) can start
  // the next job at once without a "busy", and no next job can start before the LED was told,
  // so this job's "idle" never covers the next one's "working", nor "off" after a stop.
  private synchronized void end(Job job, Object value, IOException failure) {
    running = null;
    if (failure == null) {
      LOG.info("{} done", job.label());
    } else {
      LOG.warn("{} failed: {}", job.label(), failure.getMessage());
    }
    job.end(value, failure);
    notifyAll();
  }

  /** The jobs, newest first. */
  public synchronized List<Job> all() {
    return new ArrayList<>(jobs);
  }

  public synchronized Optional<Job> find(String uuid) {
    return jobs.stream().filter(j -> j.uuid().equals(uuid)).findFirst();
  }

  public synchronized Optional<Job> running() {
    return Optional.ofNullable(running);
  }

  /** Forgets a finished job; false when there is none of that id or it still runs. */
  public synchronized boolean remove(String uuid) {
    return jobs.removeIf(j -> j.uuid().equals(uuid) && j.isDone());
  }

  /**
   * Refuses new jobs, cancels the running one and waits up to {@code timeout} for it to clean
   * up; true when nothing runs any more.
   */
  public synchronized boolean stop(String why, Duration timeout) throws InterruptedException {
    closed = true;
    if (running != null) {
      running.cancel(why);
    }
    long end = System.nanoTime() + timeout.toNanos();
    while (running != null && System.nanoTime() < end) {
      wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
    }
    return running == null;
  }
}
