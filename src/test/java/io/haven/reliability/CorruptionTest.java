package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haven.testing.TreeSnapshot;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * One flipped byte, a truncation and a zeroed 4 KiB block at seeded random places, in archives of
 * every form. Each damaged archive is verified and restored: either both refuse cleanly (an
 * expected failure, no stack trace, the data root unchanged), or the damage touched nothing that
 * matters (tar padding, a name) and the restore gives exactly the backed-up tree. Never a crash,
 * never a hang, never a mixed or wrong tree. {@code -Dhaven.corruption.cases} sets the number of
 * places per damage kind and form (default 2).
 */
class CorruptionTest {
  static final int PLACES = Integer.getInteger("haven.corruption.cases", 2);
  static final long SEED = Long.getLong("haven.crash.seed", 20260101L);

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"none,-", "none,v2", "none,v3", "gzip,-", "gzip,v2", "gzip,v3", "zstd,-",
      "zstd,v2", "zstd,v3"})
  void damagedArchivesAreRefusedOrHarmless(String compression, String encryption)
      throws Exception {
    Path root = tmp.resolve("root");
    Path backups = tmp.resolve("backup");
    layOut(root);
    Haven haven = new Haven(tmp, root, backups);
    List<String> args = new ArrayList<>(List.of("backups", "new", "--name", "intact",
        "--compression", compression));
    List<String> secret = encryption.equals("-") ? List.of() : List.of("--password", "pw");
    if (!secret.isEmpty()) {
      args.addAll(List.of("--password", "pw", "--encryption", encryption));
    }
    Haven.Run made = haven.run(args.toArray(String[]::new));
    assertEquals(0, made.exit(), made::toString);
    String slug = made.out().trim();
    Path intact = tmp.resolve("intact.tar");
    Files.move(backups.resolve(slug + ".tar"), intact);

    Path pristine = copy(root, tmp.resolve("pristine"));
    Files.copy(intact, backups.resolve(slug + ".tar"));
    assertEquals(0, haven.run(with(secret, "backups", "restore", slug)).exit());
    Map<String, String> restored = TreeSnapshot.of(root, CrashTest.CONTAINERS);
    reset(root, pristine);
    Map<String, String> old = TreeSnapshot.of(root, CrashTest.CONTAINERS);

    Random random = new Random(SEED ^ (compression + encryption).hashCode());
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String kind : List.of("flip", "truncate", "zero4k")) {
      for (int i = 0; i < PLACES; i++) {
        Path damaged = backups.resolve(slug + ".tar");
        Files.copy(intact, damaged, StandardCopyOption.REPLACE_EXISTING);
        String where = damage(damaged, kind, i, random);
        String what = kind + " " + where + " in " + compression + "/" + encryption;
        Haven.Run v = assertTimeoutPreemptively(Duration.ofSeconds(60),
            () -> haven.run(with(secret, "verify", damaged.toString())));
        assertFalse(v.crashed(), () -> what + ": verify " + v);
        Haven.Run r = assertTimeoutPreemptively(Duration.ofSeconds(60),
            () -> haven.run(with(secret, "backups", "restore", slug)));
        assertFalse(r.crashed(), () -> what + ": restore " + r);
        Map<String, String> after = TreeSnapshot.of(root, CrashTest.CONTAINERS);
        if (r.exit() == 0) {
          TreeSnapshot.assertSame(restored, after, what + ": a restore that succeeds is exact");
          assertEquals(0, v.exit(), () -> what + ": restore worked but verify said " + v);
          outcomes.merge("harmless", 1, Integer::sum);
          reset(root, pristine);
          old = TreeSnapshot.of(root, CrashTest.CONTAINERS); // the same files, new times
        } else {
          TreeSnapshot.assertSame(old, after, what + ": a refused restore changes nothing");
          outcomes.merge(v.exit() == 0 ? "restore refused, verify passed" : "refused", 1,
              Integer::sum);
        }
      }
    }
    CrashTest.report("corruption", compression + "/" + encryption + ": " + 3 * PLACES
        + " cases " + outcomes + ", 0 crashes, 0 hangs, 0 wrong trees");
  }

  // Flips alternate between a part's bytes, backup.json and the outer tar's headers; the other
  // kinds land anywhere in the file.
  static String damage(Path file, String kind, int i, Random random) throws Exception {
    long size = Files.size(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      switch (kind) {
        case "flip": {
          long at = flipPlace(file, i % 3, random);
          f.seek(at);
          int b = f.read();
          f.seek(at);
          f.write(b ^ (1 + random.nextInt(255)));
          return "at " + at + " (" + List.of("part", "backup.json", "header").get(i % 3) + ")";
        }
        case "truncate": {
          long to = (long) (random.nextDouble() * size);
          f.setLength(to);
          return "to " + to + " of " + size;
        }
        default: {
          long at = (long) (random.nextDouble() * Math.max(1, size - 4096));
          f.seek(at);
          f.write(new byte[4096]);
          return "at " + at;
        }
      }
    }
  }

  static long flipPlace(Path file, int region, Random random) throws Exception {
    List<TarArchiveEntry> entries;
    try (TarFile t = new TarFile(file.toFile())) {
      entries = t.getEntries();
    }
    List<TarArchiveEntry> parts = entries.stream()
        .filter(e -> !e.getName().endsWith("backup.json")).toList();
    TarArchiveEntry json = entries.stream().filter(e -> e.getName().endsWith("backup.json"))
        .findFirst().orElseThrow();
    switch (region) {
      case 0: {
        TarArchiveEntry p = parts.get(random.nextInt(parts.size()));
        return p.getDataOffset() + (long) (random.nextDouble() * p.getSize());
      }
      case 1:
        return json.getDataOffset() + (long) (random.nextDouble() * json.getSize());
      default: {
        TarArchiveEntry e = entries.get(random.nextInt(entries.size()));
        return e.getDataOffset() - 512 + random.nextInt(512);
      }
    }
  }

  static String[] with(List<String> secret, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(secret);
    return all.toArray(String[]::new);
  }

  static void layOut(Path root) throws Exception {
    Random r = new Random(7);
    Files.createDirectories(root.resolve("config/.storage"));
    Files.writeString(root.resolve("config/configuration.yaml"), "homeassistant:\n  name: x\n");
    byte[] data = new byte[300_000];
    r.nextBytes(data);
    Files.write(root.resolve("config/.storage/core.entity_registry"), data);
    Files.createDirectories(root.resolve("share/docs"));
    Files.writeString(root.resolve("share/docs/readme.txt"), "hello ".repeat(20_000));
    Files.createDirectories(root.resolve("ssl"));
    Files.writeString(root.resolve("ssl/fullchain.pem"), "-----BEGIN CERTIFICATE-----\n");
  }

  static Path copy(Path from, Path to) throws Exception {
    return CrashTest.copy(from, to);
  }

  // Back to the tree as it was before any restore: changed since the backup, so that a restore
  // is visible.
  static void reset(Path root, Path pristine) throws Exception {
    io.haven.testing.GenData.run(new ProcessBuilder("rm", "-rf", root.toString()));
    copy(pristine, root);
    Files.writeString(root.resolve("share/added-after-backup.txt"), "new");
    Files.writeString(root.resolve("ssl/fullchain.pem"), "changed after the backup");
  }
}
