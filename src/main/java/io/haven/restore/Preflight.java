package io.haven.restore;

import io.haven.archive.BackupSource;
import io.haven.archive.BackupMetadata;
import io.haven.archive.HavenFacts;
import io.haven.archive.Part;
import io.haven.backup.SourceFacts;
import io.haven.device.DeviceFacts;
import io.haven.device.Disk;
import io.haven.device.UsbRadios;
import io.haven.failure.Sizes;
import io.haven.tree.DataRoot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The migration preflight: compares what a backup recorded of its source device with the target
 * device, before anything is changed. Checks free space, the data disk, radios, https, network
 * storage, the restart and the duration; each becomes {@link Finding}s. Backups without Haven's
 * source facts (made by Home Assistant) get the checks their backup.json allows, and a finding
 * names the skipped ones. Reads metadata only; opens no part.
 */
public final class Preflight {
  private final DeviceFacts target;
  private final DataRoot root;
  private final WriteRate rate;

  /**
   * @param target the device restored onto, its data root's place and space included
   * @param root the data root restored into
   * @param rate how fast the target writes, for the duration estimate
   */
  public Preflight(DeviceFacts target, DataRoot root, WriteRate rate) {
    this.target = target;
    this.root = root;
    this.rate = rate;
  }

  public PreflightReport check(BackupSource archive, RestoreRequest request) throws IOException {
    Optional<BackupMetadata> metadata = archive.metadata();
    List<Part> parts = request.isFull() ? archive.parts() : request.parts();
    Optional<HavenFacts> haven = metadata.flatMap(BackupMetadata::haven);
    Optional<SourceFacts> source = haven.flatMap(h -> SourceFacts.fromJson(h.source()));
    long needed = 0;
    long stored = 0;
    for (Part p : parts) {
      stored += archive.storedSize(p);
      needed += haven.flatMap(h -> h.part(p)).map(f -> f.fileBytes()).orElse(archive.storedSize(p));
    }
    List<Finding> findings = new ArrayList<>();
    findings.addAll(PreflightChecks.space(target, needed, haven.isPresent(), source));
    findings.addAll(PreflightChecks.dataDisk(target, source));
    if (source.isPresent()) {
      findings.addAll(PreflightChecks.radios(UsbRadios.compare(source.get().radios(),
          target.radios()), source.get().radios().size()));
      findings.addAll(PreflightChecks.https(source.get(), parts, root));
      findings.addAll(PreflightChecks.networkStorage(source.get()));
    } else {
      findings.add(Finding.info("skipped", "Radios, https and network storage were not checked:"
          + " the backup has no Haven source facts (it was made by Home Assistant or an older"
          + " Haven). Check them by hand after the restore."));
    }
    if (parts.contains(Part.homeAssistant())) {
      findings.add(Finding.info("restart", "Home Assistant must restart to apply the restored"
          + " configuration. Haven runs the configured services.homeassistant commands; without"
          + " them, restart Home Assistant yourself after the restore."));
    }
    findings.add(duration(needed, stored));
    return new PreflightReport(metadata.map(BackupMetadata::slug).orElse(archive.describe()),
        findings);
  }

  // The restore reads the archive and writes the files; counting both at the write rate errs
  // on the long side, which is the side a user planning downtime wants.
  private Finding duration(long needed, long stored) {
    return Finding.info("duration", "The restore will take " + rate.duration(needed + stored)
        + ": " + Sizes.human(needed) + " to write and " + Sizes.human(stored) + " to read at "
        + Sizes.human((long) rate.bytesPerSecond()) + "/s (" + rate.basis() + ").");
  }

  /** The rate a preflight on this target would use without a probe: by the data disk's kind. */
  public static WriteRate assumedRate(DeviceFacts target) {
    Disk disk = target.dataRoot().disk();
    return WriteRate.assumed(disk == null ? Disk.Kind.OTHER : disk.kind());
  }
}
