package io.haven.restic;

/** A snapshot and the ID it is stored under (restic's snapshot ID). */
public record StoredSnapshot(Id id, Snapshot snapshot) {}
