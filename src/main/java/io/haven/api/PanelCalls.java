package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.Daemon;
import io.haven.agent.Place;
import io.haven.agent.Service;
import io.haven.agent.Job;
import io.haven.agent.PlacedBackup;
import io.haven.agent.ScheduledRun;
import io.haven.archive.BackupArchive;
import io.haven.archive.Secret;
import io.haven.config.Offsite;
import io.haven.restore.RestoreRequest;
import io.haven.restore.Restorer;
import io.haven.store.AutomaticBackups;
import io.haven.store.StoredBackup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The web panel's calls for its status card and its checks: what the Backups page shows at a
 * glance ({@code GET /haven/overview}) and whether a password opens a backup before anything
 * starts ({@code POST /backups/{slug}/password}).
 */
final class PanelCalls {
  private final Service service;

  PanelCalls(Service service) {
    this.service = service;
  }

  /**
   * The status card: the schedule, the newest automatic backup and how the last automatic run
   * ended, the next one, the space the backups take, and each place with its last copy.
   */
  ObjectNode overview() throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    Offsite.ScheduleSettings schedule = service.settings().offsite().schedule();
    o.putObject("schedule").put("recurrence", schedule.recurrence().name()
        .toLowerCase(java.util.Locale.ROOT));
    List<PlacedBackup> placed = service.offsite().placed();
    String instance = service.offsite().instanceId();
    Optional<PlacedBackup> lastAutomatic = placed.stream()
        .filter(b -> AutomaticBackups.isAutomatic(b.metadata(), instance))
        .max(java.util.Comparator.comparing(b -> b.metadata().date()));
    if (lastAutomatic.isPresent()) {
      o.putObject("last_automatic").put("slug", lastAutomatic.get().slug())
          .put("name", lastAutomatic.get().metadata().name())
          .put("date", lastAutomatic.get().metadata().date());
    } else {
      o.putNull("last_automatic");
    }
    lastAttempt(o);
    o.put("next_backup", service.status().path("next_backup").asText(null));
    space(o);
    ArrayNode places = o.putArray("locations");
    places.addObject().put("name", Place.LOCAL_NAME).put("backups",
        placed.stream().filter(PlacedBackup::isLocal).count());
    for (var spec : service.offsite().registry().list()) {
      ObjectNode l = places.addObject().put("name", spec.name())
          .put("kind", spec.url().getScheme());
      l.put("backups", placed.stream().filter(b -> b.places().contains(spec.name())).count());
      l.put("last_copy", ScheduledRun.history(service.backups().backupDir(), spec.name()).completed()
          .map(Instant::toString).orElse(null));
    }
    return o;
  }

  // How the last automatic run ended: from its job while the agent remembers it, else from the
  // schedule's state (a run that started and never completed failed).
  private void lastAttempt(ObjectNode o) throws IOException {
    Optional<Job> job = service.jobs().all().stream()
        .filter(j -> j.name().equals(Daemon.SCHEDULED_JOB) && j.isDone()).findFirst();
    ScheduledRun.History local = ScheduledRun.history(service.backups().backupDir(),
        Place.LOCAL_NAME);
    if (job.isPresent()) {
      ObjectNode a = o.putObject("last_attempt").put("date", job.get().toJson()
          .path("created").asText()).put("ok", job.get().failure().isEmpty());
      job.get().failure().ifPresent(f -> a.put("type", Failure.of(f).type())
          .put("message", f.getMessage()));
    } else if (local.attempted().isPresent()) {
      o.putObject("last_attempt").put("date", local.attempted().get().toString())
          .put("ok", local.lastSucceeded());
    } else {
      o.putNull("last_attempt");
    }
  }

  private void space(ObjectNode o) throws IOException {
    List<StoredBackup> local = service.backups().list().backups();
    ObjectNode s = o.putObject("space").put("backups", local.size())
        .put("used_bytes", local.stream().mapToLong(StoredBackup::size).sum());
    Path dir = service.backups().backupDir();
    if (Files.isDirectory(dir)) {
      s.put("free_bytes", Files.getFileStore(dir).getUsableSpace());
    } else {
      s.putNull("free_bytes");
    }
  }

  /**
   * Opens the first protected part of {@code slug} with the body's password, reading only its
   * first entry: fails WrongPassword (or PasswordRequired) at once, and changes nothing.
   */
  void checkPassword(String slug, JsonNode body) throws IOException {
    Optional<Secret> secret = Wire.secret(body);
    try (BackupArchive archive = BackupArchive.open(service.backups().info(slug).file())) {
      Restorer.checkPassword(archive, new RestoreRequest(List.of(), secret, false));
    }
  }

  /** A list item marked, as Home Assistant marks them, when this device's schedule made it. */
  static void markAutomatic(ObjectNode item, PlacedBackup b, String instanceId) {
    item.put(AutomaticBackups.WITH_AUTOMATIC_SETTINGS,
        AutomaticBackups.isAutomatic(b.metadata(), instanceId));
  }
}
