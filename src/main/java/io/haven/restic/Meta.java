package io.haven.restic;

import java.time.Instant;

/** The metadata restic keeps for an entry: Unix permission bits, modification time, owner. */
record Meta(int mode, Instant mtime, int uid, int gid, String user, String group) {
  /** A directory that exists only as a parent in the stream, or that Haven lays out itself. */
  static Meta directory(Instant time) {
    return new Meta(0755, time, 0, 0, null, null);
  }

  String time() {
    return mtime.toString();
  }
}
