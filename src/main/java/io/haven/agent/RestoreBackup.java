package io.haven.agent;

import io.haven.restore.RestoreRequest;

/**
 * A restore as every front end asks for it: the backup {@code slug} from {@code from} (the
 * backup directory or a location), with the parts, secret and force of {@code request}.
 */
public record RestoreBackup(String slug, Place from, RestoreRequest request) {
  /** The Supervisor's job name for this restore. */
  String jobName() {
    return request.isFull() ? Service.FULL_RESTORE : Service.PARTIAL_RESTORE;
  }
}
