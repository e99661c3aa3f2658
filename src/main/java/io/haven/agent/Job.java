package io.haven.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backup, restore or import as the Supervisor's jobs API shows it (FORMAT.md section 5):
 * uuid, name, reference (the slug), stage, progress, done (false while it runs, true after),
 * errors, created, plus Haven's bytes done and total. It is the job's {@link Progress}: a
 * cancelled job's next stage or advance throws {@link JobCancelled} (wrapped unchecked, as
 * Progress declares no exception), which the backup and restore treat as any other failure.
 */
public final class Job implements Progress {
  /** A restore's preflight report, for whoever follows the job (the CLI, the web panel). */
  private volatile ObjectNode preflight;

  private final String uuid = UUID.randomUUID().toString().replace("-", "");
  private final String name;
  private final Instant created;
  private final AtomicLong bytesDone = new AtomicLong();
  private final List<String> stages = new ArrayList<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long bytesTotal;
  private volatile String stage;
  private volatile String part;
  private volatile String reference;
  private volatile boolean ended;
  private volatile boolean done;
  private volatile String cancelReason;
  private volatile Object result;
  private volatile IOException failure;

  private final List<ObjectNode> captured = new ArrayList<>();
  private final Jobs.Listener listener;
  private final Progress watcher;

  Job(String name, Instant created, Jobs.Listener listener, Progress watcher) {
    this.name = name;
    this.created = created;
    this.listener = listener;
    this.watcher = watcher;
  }

  /** How a job names itself in the lock file and in "busy" messages. */
  public static String label(String uuid, String name) {
    return "job " + uuid + " (" + name + ")";
  }

  public String uuid() {
    return uuid;
  }

  public String name() {
    return name;
  }

  public String label() {
    return label(uuid, name);
  }

  public boolean isDone() {
    return done;
  }

  /** The current stage, if one started. */
  public Optional<String> stage() {
    return Optional.ofNullable(stage);
  }

  public long bytesDone() {
    return bytesDone.get();
  }

  public long bytesTotal() {
    return bytesTotal;
  }

  /** Waits up to {@code timeout} for the job to end; true when it has. */
  public boolean await(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What the job produced (a BackupResult, RestoreResult, StoredBackup), once it succeeded. */
  public Optional<Object> result() {
    return Optional.ofNullable(result);
  }

  /** Why the job failed, once it did. */
  public Optional<IOException> failure() {
    return Optional.ofNullable(failure);
  }

  /** Asks the job to stop at its next buffer; {@code why} becomes its error message. */
  public void cancel(String why) {
    cancelReason = why;
  }

  @Override
  public void stage(String s) {
    checkCancelled();
    synchronized (stages) {
      stages.add(s);
    }
    stage = s;
    watcher.stage(s);
    listener.changed(this);
  }

  @Override
  public void part(String id) {
    part = id;
  }

  @Override
  public void total(long bytes) {
    bytesTotal = bytes;
    watcher.total(bytes);
  }

  @Override
  public void advance(long bytes) {
    bytesDone.addAndGet(bytes);
    watcher.advance(bytes);
    checkCancelled();
  }

  /** Throws when the job was cancelled; long steps without progress call it between files. */
  public void checkCancelled() {
    String why = cancelReason;
    if (why != null) {
      throw new UncheckedIOException(new JobCancelled("Job " + uuid + " (" + name
          + ") was cancelled: " + why + ". Nothing it wrote was kept; run it again."));
    }
  }

  void reference(String slug) {
    reference = slug;
  }

  /**
   * Sets the job's outcome ({@code failure} null: it succeeded with {@code value}). Its
   * listeners (the LED, systemd, MQTT) hear of it first, seeing {@link #ended()}; only then does
   * the job show done and its waiters wake, so whoever sees it done finds the LED showing it.
   */
  void end(Object value, IOException failure) {
    this.result = value;
    this.failure = failure;
    ended = true;
    listener.changed(this);
    done = true;
    finished.countDown();
  }

  /** True once the outcome is set, also while the listeners are being told of it. */
  boolean ended() {
    return ended;
  }

  /**
   * Records an error the job went on after, as the Supervisor captures a failed copy to an
   * additional location: it shows in {@code errors}, and the job can still succeed.
   */
  public void capture(IOException e, String message) {
    ObjectNode error = JsonNodeFactory.instance.objectNode()
        .put("type", e.getClass().getSimpleName()).put("message", message)
        .put("stage", stage);
    synchronized (captured) {
      captured.add(error);
    }
    listener.changed(this);
  }

  /** The messages of the errors {@link #capture}d so far. */
  public List<String> captured() {
    synchronized (captured) {
      return captured.stream().map(e -> e.path("message").asText()).toList();
    }
  }

  /** Records the restore's preflight report; it shows as {@code extra.preflight}. */
  public void preflight(ObjectNode report) {
    preflight = report;
  }

  /** The Supervisor's job object. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", name);
    o.put("reference", reference);
    o.put("uuid", uuid);
    long total = bytesTotal;
    o.put("progress", total > 0 ? Math.min(100.0,
        Math.round(bytesDone.get() * 1000.0 / total) / 10.0) : (done ? 100.0 : 0.0));
    o.put("stage", stage);
    o.put("done", done);
    ArrayNode errors = o.putArray("errors");
    synchronized (captured) {
      captured.forEach(errors::add);
    }
    IOException f = failure;
    if (f != null) {
      errors.addObject().put("type", f.getClass().getSimpleName())
          .put("message", f.getMessage()).put("stage", stage);
    }
    o.put("created", created.toString());
    ObjectNode extra = o.putObject("extra");
    extra.put("bytes_done", bytesDone.get());
    extra.put("bytes_total", total);
    // The web panel words the job from these: which part, and how it ended.
    extra.put("part", part);
    extra.put("outcome", !done ? "running" : f != null ? "failed" : "succeeded");
    if (preflight != null) {
      extra.set("preflight", preflight);
    }
    ArrayNode seen = extra.putArray("stages");
    synchronized (stages) {
      stages.forEach(seen::add);
    }
    o.putArray("child_jobs");
    return o;
  }
}
