package io.haven.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.backup.BackupResult;
import io.haven.backup.HookException;
import io.haven.backup.ServiceHooks;
import io.haven.config.Service;
import io.haven.config.Services;
import io.haven.failure.ExitCode;
import io.haven.testing.Sysfs;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real shell scripts stand in for Home Assistant's and an add-on's service commands. */
class RestoreHooksTest {
  @TempDir Path tmp;
  Path events;
  Path target;
  BackupResult backup;
  List<String> jobLog = new ArrayList<>();

  @BeforeEach
  void backUpAndLayOutTheTarget() throws Exception {
    Path source = SourceBackup.dataRoot(tmp.resolve("source"));
    backup = SourceBackup.backup(source, Files.createDirectories(tmp.resolve("backup")),
        Sysfs.pi4(tmp.resolve("sys")).root);
    target = tmp.resolve("target");
    SourceBackup.write(target.resolve("config/configuration.yaml"), "old: true\n");
    SourceBackup.write(target.resolve("addons/data/core_mosquitto/old.conf"), "old\n");
    events = tmp.resolve("events.log");
    Files.createFile(events);
  }

  /** A script that appends {@code word} to the events file, then runs {@code then}. */
  String script(String name, String word, String then) throws Exception {
    Path s = tmp.resolve(name + ".sh");
    Files.writeString(s, "#!/bin/sh\necho \"" + word + "\" >> '" + events + "'\necho ran " + name
        + "\n" + then + "\n");
    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
    return s.toString();
  }

  Service service(String name, String stop, String start, String restart, Duration timeout) {
    return new Service(name, Optional.ofNullable(stop), Optional.ofNullable(start),
        Optional.ofNullable(restart), Optional.empty(), timeout, false);
  }

  Services standard() throws Exception {
    return new Services(List.of(
        service("homeassistant", script("ha-stop", "stop homeassistant", ""),
            script("ha-start", "start homeassistant", ""),
            script("ha-restart", "restart homeassistant", ""), Duration.ofSeconds(10)),
        service("core_mosquitto", script("mq-stop", "stop core_mosquitto", ""),
            script("mq-start", "start core_mosquitto", ""), null, Duration.ofSeconds(10))));
  }

  /** Restores with the hooks; the progress marks the swap in the same events file. */
  RestoreResult restore(Services services, RestoreRequest request) throws Exception {
    Progress marks = new Progress() {
      @Override
      public void stage(String stage) {
        if (stage.equals("swapping")) {
          append("swap");
        }
      }
    };
    ServiceHooks hooks = new ServiceHooks(services, target, jobLog::add);
    try (BackupArchive archive = BackupArchive.open(backup.file())) {
      List<Part> parts = request.isFull() ? archive.parts() : request.parts();
      return hooks.aroundRestore(parts, request.isFull(),
          () -> new Restorer(new DataRoot(target), marks).restore(archive, request));
    }
  }

  void append(String line) {
    try {
      Files.writeString(events, line + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  List<String> events() throws Exception {
    return Files.readAllLines(events);
  }

  @Test
  void stopSwapStartRestartInThatOrder() throws Exception {
    restore(standard(), new RestoreRequest(List.of(), Optional.empty()));
    assertEquals(List.of("stop homeassistant", "stop core_mosquitto", "swap",
        "start core_mosquitto", "start homeassistant", "restart homeassistant"), events());
    assertEquals(SourceBackup.CONFIGURATION,
        Files.readString(target.resolve("config/configuration.yaml")));
    assertTrue(jobLog.contains("stop homeassistant| ran ha-stop"), jobLog.toString());
    assertTrue(jobLog.stream().anyMatch(l -> l.startsWith("restart homeassistant: exit 0 after")),
        jobLog.toString());
  }

  @Test
  void onlyTheServicesOfTheRestoredPartsAreStopped() throws Exception {
    restore(standard(), new RestoreRequest(List.of(Part.addon("core_mosquitto")),
        Optional.empty()));
    assertEquals(List.of("stop core_mosquitto", "swap", "start core_mosquitto"), events());
  }

  @Test
  void failingStopAbortsBeforeAnythingChangesAndRestartsWhatWasStopped() throws Exception {
    Map<String, String> before = TreeSnapshot.of(target, p -> false);
    Services services = new Services(List.of(
        service("homeassistant", script("ha-stop", "stop homeassistant", ""),
            script("ha-start", "start homeassistant", ""), null, Duration.ofSeconds(10)),
        service("core_mosquitto", script("mq-stop", "stop core_mosquitto", "exit 3"),
            script("mq-start", "start core_mosquitto", ""), null, Duration.ofSeconds(10))));

    HookException e = assertThrows(HookException.Failed.class,
        () -> restore(services, new RestoreRequest(List.of(), Optional.empty())));

    assertEquals("The stop core_mosquitto command '" + tmp.resolve("mq-stop.sh") + "' failed"
        + " with exit status 3 (its output is in the log). Fix the command or the service, then"
        + " try again.", e.getMessage());
    assertEquals(ExitCode.HOOK, e.exitCode());
    assertEquals(List.of("stop homeassistant", "stop core_mosquitto", "start homeassistant"),
        events());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(target, p -> false), "target after abort");
  }

  @Test
  void hangingStopIsKilledAtItsTimeout() throws Exception {
    Map<String, String> before = TreeSnapshot.of(target, p -> false);
    Services services = new Services(List.of(service("homeassistant",
        script("ha-stop", "stop homeassistant", "sleep 60"), null, null, Duration.ofSeconds(1))));

    HookException e = assertThrows(HookException.TimedOut.class,
        () -> restore(services, new RestoreRequest(List.of(), Optional.empty())));

    assertEquals("The stop homeassistant command '" + tmp.resolve("ha-stop.sh") + "' was still"
        + " running after 1 s and was stopped. Check the command, or raise its timeout_seconds in"
        + " the services: section of the config.", e.getMessage());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(target, p -> false), "target after timeout");
  }

  @Test
  void failedRestoreStillStartsTheServices() throws Exception {
    RestoreRequest notInBackup = new RestoreRequest(List.of(Part.addon("core_mosquitto"),
        Part.addon("not_there")), Optional.empty());
    assertThrows(java.io.IOException.class, () -> restore(standard(), notInBackup));
    assertEquals(List.of("stop core_mosquitto", "start core_mosquitto"), events());
  }

  @Test
  void failingStartIsReportedAfterTheRestoreCompleted() throws Exception {
    Services services = new Services(List.of(service("homeassistant",
        script("ha-stop", "stop homeassistant", ""),
        script("ha-start", "start homeassistant", "echo no such unit >&2; exit 5"), null,
        Duration.ofSeconds(10))));
    HookException e = assertThrows(HookException.Failed.class,
        () -> restore(services, new RestoreRequest(List.of(Part.homeAssistant()),
            Optional.empty())));
    assertTrue(e.getMessage().startsWith("The start homeassistant command"), e.getMessage());
    assertEquals(SourceBackup.CONFIGURATION,
        Files.readString(target.resolve("config/configuration.yaml")), "data kept");
    assertTrue(jobLog.contains("start homeassistant| no such unit"), jobLog.toString());
  }
}
