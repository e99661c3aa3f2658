package io.haven.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.BackupMetadata;

/**
 * Tells the backups a schedule made from the ones a person made, so retention deletes only the
 * former. Home Assistant marks its own in backup.json as {@code extra.with_automatic_settings:
 * true} with {@code extra.instance_id}; Haven writes the same two keys under
 * {@code extra.haven.source}, and accepts either place. A backup of another instance is never
 * automatic here, so two devices sharing a location never prune each other's backups.
 */
public final class AutomaticBackups {
  public static final String WITH_AUTOMATIC_SETTINGS = "with_automatic_settings";
  public static final String INSTANCE_ID = "instance_id";

  private AutomaticBackups() {}

  /** Whether the schedule of instance {@code instanceId} made this backup. */
  public static boolean isAutomatic(BackupMetadata metadata, String instanceId) {
    JsonNode extra = metadata.extra();
    return marked(extra, instanceId) || marked(extra.path("haven").path("source"), instanceId);
  }

  /** Adds the mark to {@code facts} (a backup's {@code extra.haven.source}); returns it. */
  public static ObjectNode mark(ObjectNode facts, String instanceId) {
    facts.put(WITH_AUTOMATIC_SETTINGS, true);
    facts.put(INSTANCE_ID, instanceId);
    return facts;
  }

  private static boolean marked(JsonNode node, String instanceId) {
    return node.path(WITH_AUTOMATIC_SETTINGS).asBoolean(false)
        && instanceId.equals(node.path(INSTANCE_ID).asText(null));
  }
}
