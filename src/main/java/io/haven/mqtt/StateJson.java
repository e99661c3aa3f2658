package io.haven.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The payload of the state topic: one key per sensor. Unknown values are JSON null, which the
 * value_template renders as "None" and Home Assistant shows as unknown.
 */
final class StateJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StateJson() {}

  static String of(HavenState s, Instant now, Duration staleAfter) {
    ObjectNode o = JSON.createObjectNode();
    o.put("state", s.activity().label());
    o.put("last_backup", time(s.lastBackup().map(HavenState.LastBackup::time)));
    o.put("last_backup_name", s.lastBackup().map(HavenState.LastBackup::name).orElse(null));
    if (s.lastBackup().isPresent()) {
      o.put("last_backup_size", s.lastBackup().get().sizeBytes());
    } else {
      o.putNull("last_backup_size");
    }
    o.put("last_successful_backup", time(s.lastSuccessfulBackup()));
    o.put("next_backup", time(s.nextBackup()));
    o.put("backups", s.backups());
    if (s.freeBytes().isPresent()) {
      o.put("free_space", s.freeBytes().getAsLong());
    } else {
      o.putNull("free_space");
    }
    if (s.progress().isPresent()) {
      o.put("progress", s.progress().getAsInt());
    } else {
      o.putNull("progress");
    }
    o.put("backup_stale", stale(s, now, staleAfter) ? "ON" : "OFF");
    return o.toString();
  }

  /** Stale when there has never been a good backup, or the newest is older than the limit. */
  static boolean stale(HavenState s, Instant now, Duration staleAfter) {
    return s.lastSuccessfulBackup().map(t -> t.isBefore(now.minus(staleAfter))).orElse(true);
  }

  private static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse(null);
  }
}
