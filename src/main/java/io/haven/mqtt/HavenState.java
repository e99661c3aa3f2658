package io.haven.mqtt;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What Home Assistant shows about Haven at one moment; the agent builds a new one whenever
 * something changes and hands it to {@link HavenMqtt#publish(HavenState)}. Empty values appear as
 * "unknown" in Home Assistant.
 *
 * @param activity what Haven is doing
 * @param lastBackup the newest backup in the backup dir, good or not
 * @param lastSuccessfulBackup when the newest good backup was made; drives "backup stale"
 * @param nextBackup when the schedule starts the next backup
 * @param backups how many backups the backup dir holds
 * @param freeBytes free space in the backup dir
 * @param progress the running job's progress, 0 to 100; empty when no job runs
 */
public record HavenState(Activity activity, Optional<LastBackup> lastBackup,
    Optional<Instant> lastSuccessfulBackup, Optional<Instant> nextBackup, int backups,
    OptionalLong freeBytes, OptionalInt progress) {

  /** What Haven is doing; {@link #label()} is the sensor's value. */
  public enum Activity {
    IDLE("idle"), BACKING_UP("backing up"), RESTORING("restoring"), VERIFYING("verifying"),
    ERROR("error");

    private final String label;

    Activity(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The newest backup: its name, when it was made, and its size in bytes. */
  public record LastBackup(String name, Instant time, long sizeBytes) {
    public LastBackup {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(time, "time");
      if (sizeBytes < 0) {
        throw new IllegalArgumentException("sizeBytes < 0: " + sizeBytes);
      }
    }
  }

  public HavenState {
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(lastBackup, "lastBackup");
    Objects.requireNonNull(lastSuccessfulBackup, "lastSuccessfulBackup");
    Objects.requireNonNull(nextBackup, "nextBackup");
    Objects.requireNonNull(freeBytes, "freeBytes");
    Objects.requireNonNull(progress, "progress");
    if (backups < 0) {
      throw new IllegalArgumentException("backups < 0: " + backups);
    }
    if (freeBytes.isPresent() && freeBytes.getAsLong() < 0) {
      throw new IllegalArgumentException("freeBytes < 0: " + freeBytes.getAsLong());
    }
    if (progress.isPresent() && (progress.getAsInt() < 0 || progress.getAsInt() > 100)) {
      throw new IllegalArgumentException("progress must be 0 to 100: " + progress.getAsInt());
    }
  }

  /** Idle with nothing known yet: what Haven publishes before the agent has looked around. */
  public static HavenState unknown() {
    return new HavenState(Activity.IDLE, Optional.empty(), Optional.empty(), Optional.empty(), 0,
        OptionalLong.empty(), OptionalInt.empty());
  }

  /** The same state doing {@code activity} at {@code progress} (empty when no job runs). */
  public HavenState with(Activity activity, OptionalInt progress) {
    return new HavenState(activity, lastBackup, lastSuccessfulBackup, nextBackup, backups,
        freeBytes, progress);
  }
}
