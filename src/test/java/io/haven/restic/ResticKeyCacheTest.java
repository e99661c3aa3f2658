package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.location.LocationSpec;
import io.haven.testing.GenData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master key kept on this device: a second open takes it instead of running scrypt, and
 * anything that does not match (a wrong password, a repository made anew, a damaged entry, a key
 * the config does not authenticate) goes back to scrypt, checked against restic.
 */
class ResticKeyCacheTest {
  @TempDir Path dir;
  Path vault;
  Path keys;
  Restic restic;

  @BeforeEach
  void resticMadeARepository() throws Exception {
    vault = dir.resolve("vault");
    keys = dir.resolve("restic-keys");
    restic = new Restic(vault, dir);
    restic.run("init", "--repository-version", "2");
  }

  private LocationSpec spec(String password) {
    return new LocationSpec("vault", java.net.URI.create("restic+" + vault.toUri()), Map.of(),
        Map.of(LocationSpec.REPOSITORY_PASSWORD, password));
  }

  private Repository.Unlock open(String password) throws Exception {
    try (Vault v = Vault.open(spec(password), dir.resolve("spool"), keys, false)) {
      v.list();
      return v.unlock();
    }
  }

  private Path entry() throws Exception {
    try (Stream<Path> files = Files.list(keys)) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  @Test
  void aSecondOpenTakesTheKeptKeyAndWhatItWritesResticChecks() throws Exception {
    assertEquals(Repository.Unlock.PASSWORD, open(Restic.PASSWORD));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        entry())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
    assertEquals(Repository.Unlock.CACHED_KEY, open(Restic.PASSWORD));

    Path root = GenData.copyTo(dir.resolve("root"), 2);
    Path file = ResticInteropTest.backup(root, Files.createDirectories(dir.resolve("b")), "one");
    String slug;
    try (Vault v = Vault.open(spec(Restic.PASSWORD), dir.resolve("spool"), keys, false);
        BackupArchive a = BackupArchive.open(file)) {
      assertEquals(Repository.Unlock.CACHED_KEY, v.unlock());
      slug = v.copy(a, Optional.empty()).metadata().slug();
    }
    restic.run("check", "--read-data");
    assertTrue(restic.run("snapshots", "--json").contains("\"" + slug + "\""));
  }

  @Test
  void aWrongPasswordAfterACachedOpenIsStillRefused() throws Exception {
    open(Restic.PASSWORD);
    assertEquals(Repository.Unlock.CACHED_KEY, open(Restic.PASSWORD));
    var e = assertThrows(ArchiveException.WrongPassword.class, () -> open("not the password"));
    assertEquals(11, e.exitCode());
    assertTrue(e.getMessage().startsWith("Wrong password for the repository at "),
        e.getMessage());
    assertEquals(Repository.Unlock.CACHED_KEY, open(Restic.PASSWORD), "the entry stays");
  }

  @Test
  void aRepositoryMadeAnewInTheSamePlaceIsOpenedByScrypt() throws Exception {
    open(Restic.PASSWORD);
    try (Stream<Path> all = Files.walk(vault)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    restic.run("init", "--repository-version", "2");
    assertEquals(Repository.Unlock.PASSWORD, open(Restic.PASSWORD));
    assertEquals(Repository.Unlock.CACHED_KEY, open(Restic.PASSWORD));
  }

  @Test
  void aDamagedEntryIsRewrittenByScrypt() throws Exception {
    open(Restic.PASSWORD);
    Path entry = entry();
    String json = Files.readString(entry);
    for (String damaged : List.of("{\"key\":", json.replaceFirst("\"encrypt\":\"...",
        "\"encrypt\":\"!!!"), json.replaceFirst("\"verifier\":\"...", "\"verifier\":\"AAA"))) {
      Files.writeString(entry, damaged);
      // and what a kill in the middle of a rewrite leaves beside it
      Files.writeString(entry.resolveSibling("." + entry.getFileName() + ".haven-tmp"), "{");
      assertEquals(Repository.Unlock.PASSWORD, open(Restic.PASSWORD), damaged);
      assertEquals(entry, entry(), "the leftover was replaced");
      assertEquals(Repository.Unlock.CACHED_KEY, open(Restic.PASSWORD), "rewritten");
    }
  }

  @Test
  void aKeptKeyTheConfigDoesNotAuthenticateIsNotTrusted() throws Exception {
    open(Restic.PASSWORD);
    String keyFile;
    try (Stream<Path> files = Files.list(vault.resolve("keys"))) {
      keyFile = "keys/" + files.findFirst().orElseThrow().getFileName();
    }
    // An entry that names the listed key file and matches the password, but holds another key.
    KeyCache.of(keys, spec(Restic.PASSWORD).url().toString()).store(keyFile, MasterKey.random(),
        KeyFile.password(Restic.PASSWORD));
    assertEquals(Repository.Unlock.PASSWORD, open(Restic.PASSWORD));
    assertEquals(Repository.Unlock.CACHED_KEY, open(Restic.PASSWORD));
    restic.run("check");
  }
}
