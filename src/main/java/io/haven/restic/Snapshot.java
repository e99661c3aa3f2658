package io.haven.restic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A file under {@code snapshots/}: when, which tree, which paths, tags. Haven adds one field
 * restic ignores and keeps, {@code haven_backup}: the backup's {@code backup.json}, so a list of
 * backups needs the snapshot files only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(
    String time,
    String parent,
    String tree,
    List<String> paths,
    String hostname,
    String username,
    Integer uid,
    Integer gid,
    List<String> tags,
    String original,
    @com.fasterxml.jackson.annotation.JsonProperty("haven_backup") JsonNode havenBackup) {

  public Snapshot {
    paths = paths == null ? List.of() : paths;
    tags = tags == null ? List.of() : tags;
  }

  public Instant instant() {
    return OffsetDateTime.parse(time).toInstant();
  }

  Id treeId() {
    return Id.parse(tree);
  }
}
