package io.haven.agent;

import io.haven.mqtt.Commands;
import io.haven.mqtt.HavenMqtt;
import io.haven.mqtt.HavenState;
import io.haven.mqtt.HavenState.Activity;
import io.haven.mqtt.MqttConfig;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent as a Home Assistant device over MQTT: publishes a {@link HavenState} built from the
 * backup directory and the jobs whenever a job changes (and every few seconds while one runs, for
 * its progress), and turns the buttons into the same jobs the API starts. The backup directory is
 * listed when a job ends and once a minute, never on the job's own thread.
 */
final class MqttLink implements Commands, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
  private static final long TICK_SECONDS = 5;
  private static final long TICKS_PER_LISTING = 12;

  private final Service service;
  private final Supplier<Optional<Instant>> nextBackup;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "haven-mqtt-state");
    t.setDaemon(true);
    return t;
  });
  private volatile HavenMqtt mqtt;
  private volatile List<StoredBackup> backups = List.of();
  private long ticks; // worker thread only

  private MqttLink(Service service, Supplier<Optional<Instant>> nextBackup) {
    this.service = service;
    this.nextBackup = nextBackup;
  }

  /**
   * Lists the backups, then connects in the background; returns at once, broker up or not.
   * {@code nextBackup} says when the schedule starts the next backup (empty: none planned).
   */
  static MqttLink start(MqttConfig config, Service service,
      Supplier<Optional<Instant>> nextBackup) {
    MqttLink link = new MqttLink(service, nextBackup);
    link.relist();
    link.mqtt = HavenMqtt.start(config, link.state(), link);
    link.worker.scheduleWithFixedDelay(link::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
    return link;
  }

  /** A job started a stage or ended; called on the job's thread, so it only hands over. */
  void changed(Job job) {
    try {
      worker.execute(() -> {
        if (job.ended()) {
          relist();
        }
        publish();
      });
    } catch (RejectedExecutionException e) {
      // closed: nothing is published any more
    }
  }

  /** The schedule planned another next run; publishes it. */
  void scheduleChanged() {
    try {
      worker.execute(this::publish);
    } catch (RejectedExecutionException e) {
      // closed: nothing is published any more
    }
  }

  private void tick() {
    if (++ticks % TICKS_PER_LISTING == 0) {
      relist();
      publish();
    } else if (service.jobs().running().isPresent()) {
      publish();
    }
  }

  private void relist() {
    try {
      backups = service.backups().list().backups();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not list {} for Home Assistant: {}", service.backups().backupDir(),
          e.getMessage());
    }
  }

  private void publish() {
    try {
      mqtt.publish(state());
    } catch (RuntimeException e) {
      LOG.warn("Could not publish Haven's state to MQTT", e);
    }
  }

  /** What Home Assistant shows now. */
  HavenState state() {
    List<StoredBackup> list = backups;
    Optional<StoredBackup> newest = list.stream().findFirst();
    Optional<HavenState.LastBackup> last = newest.map(b -> new HavenState.LastBackup(
        b.metadata().name().isEmpty() ? b.slug() : b.metadata().name(), madeAt(b), b.size()));
    Optional<Job> running = service.jobs().running();
    return new HavenState(running.map(j -> activity(j.name())).orElseGet(this::restingActivity),
        last, last.map(HavenState.LastBackup::time), nextBackup.get(), list.size(), freeBytes(),
        running.map(MqttLink::progress).orElse(OptionalInt.empty()));
  }

  private static Activity activity(String jobName) {
    if (jobName.equals(Service.FULL_RESTORE) || jobName.equals(Service.PARTIAL_RESTORE)) {
      return Activity.RESTORING;
    }
    return jobName.equals(Service.VERIFY) ? Activity.VERIFYING : Activity.BACKING_UP;
  }

  // "error" until the next job succeeds: the user sees the last thing Haven did went wrong.
  private Activity restingActivity() {
    return service.jobs().all().stream().filter(Job::isDone).findFirst()
        .filter(j -> j.failure().isPresent()).map(j -> Activity.ERROR).orElse(Activity.IDLE);
  }

  private static OptionalInt progress(Job job) {
    long total = job.bytesTotal();
    return OptionalInt.of(total <= 0 ? 0 : (int) Math.min(100, job.bytesDone() * 100 / total));
  }

  private static Instant madeAt(StoredBackup b) {
    try {
      return OffsetDateTime.parse(b.metadata().date()).toInstant();
    } catch (DateTimeParseException e) {
      return b.modified();
    }
  }

  private OptionalLong freeBytes() {
    try {
      return OptionalLong.of(Files.getFileStore(service.backups().backupDir()).getUsableSpace());
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void createFullBackup() throws IOException {
    finish(service.startBackup(NewBackup.full(), Progress.NONE));
  }

  /** Verifies the newest backup; a protected one fails asking for its password (logged). */
  @Override
  public void verifyLatest() throws IOException {
    Optional<StoredBackup> newest = service.backups().list().backups().stream().findFirst();
    if (newest.isEmpty()) {
      LOG.warn("'Verify latest backup' from Home Assistant: there is no backup yet.");
      return;
    }
    finish(service.startVerify(newest.get().slug(), Optional.empty()));
  }

  private static void finish(Job job) throws IOException {
    Service.await(job);
    if (job.failure().isPresent()) {
      throw job.failure().get();
    }
  }

  /** Publishes the final state, then says offline and disconnects. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    relist();
    publish();
    mqtt.close();
  }
}
