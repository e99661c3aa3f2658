package io.haven.agent;

import io.haven.location.Location;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import io.haven.restic.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code haven locations test}: connects, writes a small object, reads it back, compares, and
 * deletes it, stopping at the first step that fails and saying which one and why. The probe's
 * name ends in {@code .probe}, so no listing of backups ever shows it.
 */
public final class LocationCheck {
  private static final int PROBE_BYTES = 4096;

  /** The steps, in order. */
  public enum Step { CONNECT, WRITE, READ, COMPARE, DELETE }

  /** The steps that passed, and the failing one with its reason, if any. */
  public record Report(String location, List<Step> passed, Optional<Step> failed,
      Optional<String> reason) {
    public boolean ok() {
      return failed.isEmpty();
    }
  }

  private LocationCheck() {}

  /**
   * Runs the steps once, without retries, so the first failure is what the user sees. A restic
   * repository is opened with its password (connect) and its snapshots read (read); nothing is
   * written to it, so no other restic sees a stray file.
   */
  public static Report run(LocationSpec spec) {
    if (Vault.holds(spec)) {
      return vault(spec);
    }
    List<Step> passed = new ArrayList<>();
    String description = spec.name();
    Step step = Step.CONNECT;
    try (Location location = Locations.open(spec)) {
      description = location.describe();
      passed.add(step);
      byte[] probe = new byte[PROBE_BYTES];
      new SecureRandom().nextBytes(probe);
      String name = "haven-test-" + HexFormat.of().formatHex(probe, 0, 6) + ".probe";
      step = Step.WRITE;
      location.write(name, out -> out.write(probe));
      passed.add(step);
      step = Step.READ;
      byte[] back = location.read(name, in -> in.readNBytes(PROBE_BYTES + 1));
      passed.add(step);
      step = Step.COMPARE;
      if (!Arrays.equals(probe, back)) {
        location.delete(name);
        return new Report(description, passed, Optional.of(step), Optional.of("read back "
            + back.length + " bytes that differ from the " + PROBE_BYTES + " written"));
      }
      passed.add(step);
      step = Step.DELETE;
      location.delete(name);
      passed.add(step);
      return new Report(description, passed, Optional.empty(), Optional.empty());
    } catch (IOException | RuntimeException e) {
      return new Report(description, passed, Optional.of(step),
          Optional.of(String.valueOf(e.getMessage())));
    }
  }

  private static Report vault(LocationSpec spec) {
    List<Step> passed = new ArrayList<>();
    Step step = Step.CONNECT;
    Path spool = null;
    try {
      spool = Files.createTempDirectory("haven-location-test");
      // A key kept in the throw-away spool: a test always runs scrypt on the stored password.
      try (Vault vault = Vault.open(spec, spool, spool.resolve("keys"), false)) {
        passed.add(step);
        step = Step.READ;
        vault.list();
        passed.add(step);
        return new Report(vault.describe(), passed, Optional.empty(), Optional.empty());
      }
    } catch (IOException | RuntimeException e) {
      return new Report(spec.name(), passed, Optional.of(step),
          Optional.of(String.valueOf(e.getMessage())));
    } finally {
      removeQuietly(spool);
    }
  }

  private static void removeQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a scratch directory under the system's temporary directory
    }
  }
}
