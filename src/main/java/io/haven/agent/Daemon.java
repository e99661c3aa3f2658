package io.haven.agent;

import io.haven.config.Config;
import io.haven.device.StatusLed;
import io.haven.device.SystemdNotify;
import io.haven.mqtt.MqttConfig;
import io.haven.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: recovers what a crash interrupted, then serves the {@link Service} through
 * its {@link FrontEnd}s, and keeps systemd informed (READY=1 once serving, STATUS= during jobs,
 * WATCHDOG=1 at half the watchdog interval, STOPPING=1 when closed). {@link #close()} cancels a
 * running job, waits for it to clean up (temporary file deleted, restore rolled back), then stops
 * serving. With an {@code mqtt:} config it also appears in Home Assistant as a device
 * ({@link MqttLink}); with a {@code schedule:} it makes the automatic backups
 * ({@link ScheduleTimer}); with an {@code led:} the status LED follows the jobs ({@link JobLight})
 * and is off once the agent stopped.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  /** How long a cancelled job may take to clean up before Haven stops anyway. */
  private static final Duration CLEANUP = Duration.ofSeconds(60);
  /** How long a cycle that found the job lock taken waits before it tries again, by default. */
  public static final Duration RETRY = ScheduleTimer.RETRY;
  /** The name of the automatic backup's job. */
  public static final String SCHEDULED_JOB = ScheduleTimer.JOB;

  private final SystemdNotify notify;
  private final Service service;
  private final FrontEnd frontEnd;
  private final ScheduledExecutorService watchdog;
  private final Optional<MqttLink> mqtt;
  private volatile Optional<ScheduleTimer> schedule;
  private final Replan replan;
  private final JobLight light;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** What {@link #start} builds, handed to the constructor whole. */
  private record Parts(Service service, FrontEnd frontEnd, ScheduledExecutorService watchdog,
      Optional<MqttLink> mqtt, Optional<ScheduleTimer> schedule, JobLight light, Replan replan) {}

  /** Starts a schedule timer for a config, or none when it schedules nothing. */
  @FunctionalInterface
  private interface Replan {
    Optional<ScheduleTimer> timerFor(Config config);
  }

  private Daemon(SystemdNotify notify, Parts parts) {
    this.notify = notify;
    this.service = parts.service();
    this.frontEnd = parts.frontEnd();
    this.watchdog = parts.watchdog();
    this.mqtt = parts.mqtt();
    this.schedule = parts.schedule();
    this.light = parts.light();
    this.replan = parts.replan();
  }

  /** Recovers, then serves; returns once the front ends accept calls. */
  public static Daemon start(Config config, String version, SystemdNotify notify,
      FrontEnd.Starter frontEnds) throws IOException {
    return start(config, version, notify, frontEnds, Clock.systemDefaultZone(), RETRY);
  }

  /**
   * As above; {@code scheduleClock} says when (and in which zone) schedule times fall, and a
   * cycle that finds the job lock taken tries again after {@code retry}.
   */
  public static Daemon start(Config config, String version, SystemdNotify notify,
      FrontEnd.Starter frontEnds, Clock scheduleClock, Duration retry) throws IOException {
    JobLight light = new JobLight(StatusLed.open(config.led(), config.sysRoot()));
    // MQTT starts after the jobs it watches; until then (and without MQTT) nobody else listens.
    AtomicReference<MqttLink> mqtt = new AtomicReference<>();
    Service service = new Service(config, Clock.systemUTC(), version, job -> {
      status(notify, job);
      light.changed(job);
      Optional.ofNullable(mqtt.get()).ifPresent(m -> m.changed(job));
    });
    recover(service.backups());
    service.onboarding().closeIfConfigured(service.backups().root());
    service.keys().current(); // first start: the key exists before anything is encrypted with it
    FrontEnd frontEnd;
    try {
      frontEnd = frontEnds.start(service);
    } catch (IOException | RuntimeException e) {
      light.close();
      throw e;
    }
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "haven-watchdog");
      t.setDaemon(true);
      return t;
    });
    notify.watchdogInterval().ifPresent(every -> watchdog.scheduleAtFixedRate(notify::watchdog,
        0, every.toMillis() / 2, TimeUnit.MILLISECONDS));
    AtomicReference<ScheduleTimer> schedule = new AtomicReference<>();
    config.mqtt().ifPresent(c -> mqtt.set(MqttLink.start(withPanelLink(c, frontEnd), service,
        () -> Optional.ofNullable(schedule.get()).flatMap(ScheduleTimer::next))));
    Replan replan = c -> {
      if (!ScheduleTimer.configured(c)) {
        schedule.set(null);
        return Optional.empty();
      }
      ScheduledRun cycle = new ScheduledRun(c, new OffsiteBackups(c, service.backups(),
          scheduleClock), scheduleClock, RandomGenerator.getDefault(), version);
      schedule.set(ScheduleTimer.start(cycle, service.jobs(), scheduleClock, retry,
          at -> Optional.ofNullable(mqtt.get()).ifPresent(MqttLink::scheduleChanged)));
      return Optional.of(schedule.get());
    };
    replan.timerFor(config);
    service.nextBackupFrom(() -> Optional.ofNullable(schedule.get())
        .flatMap(ScheduleTimer::next));
    notify.ready();
    notify.status("idle");
    Daemon daemon = new Daemon(notify, new Parts(service, frontEnd, watchdog,
        Optional.ofNullable(mqtt.get()), Optional.ofNullable(schedule.get()), light, replan));
    service.onSettings(daemon::replanWith);
    return daemon;
  }

  // Under the job lock, so a command running beside us keeps its files; if one does, its own
  // next start cleans up instead.
  private static void recover(Backups backups) throws IOException {
    try (Backups.Session s = backups.open(Job.label("start", "haven_agent_recover"))) {
      LOG.info("Checked {} for leftovers of interrupted jobs.", backups.backupDir());
    } catch (StoreException.Busy e) {
      LOG.warn("Skipped the start-up cleanup: {}", e.getMessage());
    }
  }

  private static void status(SystemdNotify notify, Job job) {
    if (job.ended()) {
      notify.status(job.failure().map(f -> "idle; last job failed: " + f.getMessage())
          .orElse("idle"));
    } else {
      notify.status(job.name() + ": " + job.stage().orElse("starting"));
    }
  }

  public Service service() {
    return service;
  }

  /**
   * Lets the web panel change the settings kept in {@code configFile} (the file the agent was
   * started with); without it the panel shows them read-only.
   */
  public void settingsIn(Path configFile) {
    service.settingsIn(configFile);
  }

  // New settings were saved: the automatic backups follow them from now on, without a restart.
  private synchronized void replanWith(Config config) {
    schedule.ifPresent(ScheduleTimer::close);
    schedule = replan.timerFor(config);
    mqtt.ifPresent(MqttLink::scheduleChanged);
  }

  public Jobs jobs() {
    return service.jobs();
  }

  /** When the next automatic backup starts; empty without a schedule (then no timer runs). */
  public Optional<Instant> nextScheduledBackup() {
    return schedule.flatMap(ScheduleTimer::next);
  }

  /** True when a schedule is configured and its timer runs. */
  public boolean scheduleRuns() {
    return schedule.isPresent();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops: tells systemd, cancels and waits for a running job, closes the front ends. */
  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    notify.stopping();
    schedule.ifPresent(ScheduleTimer::close);
    try {
      if (!service.jobs().stop("Haven is stopping", CLEANUP)) {
        LOG.warn("A job did not stop within {}; its leftovers are cleaned at the next start.",
            CLEANUP);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    frontEnd.close();
    // After the job stopped, so Home Assistant sees its end before "offline".
    mqtt.ifPresent(MqttLink::close);
    watchdog.shutdownNow();
    light.close();
    stopped.countDown();
  }

  // Home Assistant's device page links to the web panel, unless the config names another address.
  private static MqttConfig withPanelLink(MqttConfig c, FrontEnd frontEnd) {
    if (c.configurationUrl().isPresent() || frontEnd.panel().isEmpty()) {
      return c;
    }
    return new MqttConfig(c.broker(), c.user(), c.passwordFile(), c.discoveryPrefix(),
        c.baseTopic(), c.nodeId(), c.staleAfter(), frontEnd.panel());
  }
}
