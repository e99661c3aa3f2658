package io.haven.backup;

import io.haven.archive.Part;
import io.haven.config.Service;
import io.haven.config.Services;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stops, starts and restarts the services beside Haven (config key {@code services:}) around work
 * that replaces or reads their files. Promises: nothing is left stopped that this stopped, whatever
 * fails; a failing stop command ends everything before the work begins; each command runs with its
 * timeout and its output goes to the log given here.
 */
public final class ServiceHooks {
  /** Work done while the services are stopped. */
  public interface Work<T> {
    T run() throws IOException;
  }

  private static final Duration HEALTH_PAUSE = Duration.ofSeconds(1);

  private final Services services;
  private final HookCommand command;
  private final Consumer<String> log;

  /**
   * @param workDir where commands run (the data root)
   * @param log receives one line per command, its output and its outcome
   */
  public ServiceHooks(Services services, Path workDir, Consumer<String> log) {
    this.services = services;
    this.log = log;
    this.command = new HookCommand(workDir, log);
  }

  /**
   * Restores with the services that own {@code parts} stopped (all of them for a full restore,
   * which may remove add-ons): stop each in config order, run {@code restore}, start each in
   * reverse order even when the restore failed, then, when Home Assistant's config was restored,
   * run its {@code restart} command, and wait for each {@code health} command to pass.
   */
  public <T> T aroundRestore(List<Part> parts, boolean full, Work<T> restore) throws IOException {
    List<Service> affected = new ArrayList<>();
    for (Service s : services.list()) {
      if (full || parts.contains(partOf(s))) {
        affected.add(s);
      }
    }
    T result = stopped(affected, restore);
    boolean configRestored = full || parts.contains(Part.homeAssistant());
    for (Service s : affected) {
      if (s.isHomeAssistant() && configRestored && s.restart().isPresent()) {
        command.run("restart " + s.name(), s.restart().get(), s.timeout());
      }
    }
    waitHealthy(affected);
    return result;
  }

  /** Backs up {@code part} with its service stopped when that service is marked {@code backup: cold}. */
  public <T> T aroundBackupOf(Part part, Work<T> backup) throws IOException {
    List<Service> cold = services.list().stream()
        .filter(s -> s.coldBackup() && partOf(s).equals(part)).toList();
    T result = stopped(cold, backup);
    waitHealthy(cold);
    return result;
  }

  private <T> T stopped(List<Service> list, Work<T> work) throws IOException {
    List<Service> stopped = new ArrayList<>();
    T result;
    try {
      for (Service s : list) {
        if (s.stop().isPresent()) {
          command.run("stop " + s.name(), s.stop().get(), s.timeout());
        }
        stopped.add(s);
      }
      result = work.run();
    } catch (IOException | RuntimeException e) {
      startAll(stopped).forEach(e::addSuppressed);
      throw e;
    }
    List<HookException> failures = startAll(stopped);
    if (!failures.isEmpty()) {
      failures.subList(1, failures.size()).forEach(failures.get(0)::addSuppressed);
      throw failures.get(0);
    }
    return result;
  }

  /** Starts in reverse order; a failing start does not keep the others stopped. */
  private List<HookException> startAll(List<Service> stopped) {
    List<HookException> failures = new ArrayList<>();
    for (int i = stopped.size() - 1; i >= 0; i--) {
      Service s = stopped.get(i);
      if (s.start().isEmpty()) {
        continue;
      }
      try {
        command.run("start " + s.name(), s.start().get(), s.timeout());
      } catch (HookException e) {
        log.accept("start " + s.name() + " failed: " + e.getMessage());
        failures.add(e);
      }
    }
    return failures;
  }

  /** Runs each health command until it passes or its service's timeout is spent. */
  private void waitHealthy(List<Service> list) throws HookException {
    for (Service s : list) {
      if (s.health().isEmpty()) {
        continue;
      }
      long deadline = System.nanoTime() + s.timeout().toNanos();
      while (true) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        try {
          command.run("health " + s.name(), s.health().get(), left.isNegative() || left.isZero()
              ? Duration.ofMillis(1) : left);
          log.accept(s.name() + " is healthy");
          break;
        } catch (HookException e) {
          if (System.nanoTime() + HEALTH_PAUSE.toNanos() >= deadline) {
            throw new HookException.Failed(s.name() + " did not become healthy within "
                + s.timeout().toSeconds() + " s ('" + s.health().get() + "' kept failing). It was"
                + " started; check its log.", e);
          }
          pause();
        }
      }
    }
  }

  private static void pause() throws HookException {
    try {
      Thread.sleep(HEALTH_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HookException.Failed("Interrupted while waiting for a service to answer.", e);
    }
  }

  private static Part partOf(Service s) {
    return s.isHomeAssistant() ? Part.homeAssistant() : Part.addon(s.name());
  }
}
