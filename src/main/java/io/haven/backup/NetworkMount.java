package io.haven.backup;

import java.util.Objects;

/**
 * Network storage the source device used, as a backup records it: never a user name, password or
 * mount option, only what a person needs to reconnect it.
 *
 * @param name the Supervisor's mount name, or the mount point for a mount of the system
 * @param type "nfs", "cifs", ...
 * @param source "//nas/backups" or "nas:/export/media"
 * @param usage what it is for ("backup", "media", "share"), "" when unknown
 */
public record NetworkMount(String name, String type, String source, String usage) {
  public NetworkMount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(usage, "usage");
  }
}
