package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.archive.BackupArchive;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Repositories Haven writes on a local disk, over SFTP (OpenSSH), on S3 (s3proxy), WebDAV
 * (Apache's mod_dav), SMB (smbd) and an rclone remote (rclone's sftp to {@code rclone serve
 * sftp}), all on 127.0.0.1 through the one {@link Storage} contract, which restic itself then
 * checks with read-data, lists and restores through its own local, sftp, s3 and rclone backends
 * (WebDAV and SMB, which restic has no backend for, through the directory the server serves),
 * also after Haven has forgotten a backup and pruned over the same storage; and a copy killed
 * with SIGKILL, or whose server is killed under it, leaves a repository restic accepts, after
 * which the next copy completes.
 */
class ResticBackendsTest {
  private static final int SCALE_MB = 4;
  private static final int KILLED_SCALE_MB = 40;

  @TempDir Path dir;
  @TempDir static Path shared;

  /** A repository's place: Haven's spec, restic's view of it, and its files on this machine. */
  private record Backend(LocationSpec spec, Restic restic, Path files) {}

  /** Copies one backup into the repository: the process the kill test kills. */
  public static void main(String[] args) throws Exception {
    LocationSpec spec = LocationSpec.of("vault", args[2]);
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      spec = spec.with(kv[0], kv[1]);
    }
    try (Repository repo = Repository.open(Storages.open(spec), Restic.PASSWORD,
        Path.of(args[0])); BackupArchive a = BackupArchive.open(Path.of(args[1]))) {
      BackupCopy.copy(repo, a, Optional.empty());
    }
  }

  @Test
  void fileRepositoryIsResticsToo() throws Exception {
    twoCopies(file());
  }

  @Test
  void fileCopyKilledMidway() throws Exception {
    killedCopy(file());
  }

  @Test
  void sftpRepositoryIsResticsToo() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.sftp()) {
      twoCopies(sftp(server));
    }
  }

  @Test
  void sftpCopyKilledMidway() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.sftp()) {
      killedCopy(sftp(server));
    }
  }

  @Test
  void sftpServerKilledMidCopy() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.sftp()) {
      serverKilledMidCopy(sftp(server), server);
    }
  }

  @Test
  void s3RepositoryIsResticsToo() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.s3()) {
      twoCopies(s3(server));
    }
  }

  @Test
  void s3CopyKilledMidway() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.s3()) {
      killedCopy(s3(server));
    }
  }

  @Test
  void s3ServerKilledMidCopy() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.s3()) {
      serverKilledMidCopy(s3(server), server);
    }
  }

  @Test
  void webdavRepositoryIsResticsToo() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.webdavApache()) {
      twoCopies(served(server));
    }
  }

  @Test
  void webdavCopyAndServerKilledMidway() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.webdavApache()) {
      bothKilledMidCopy(served(server), server);
    }
  }

  @Test
  void smbRepositoryIsResticsToo() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.smb()) {
      twoCopies(served(server));
    }
  }

  @Test
  void smbCopyAndServerKilledMidway() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.smb()) {
      bothKilledMidCopy(served(server), server);
    }
  }

  // Each remote storage by itself, and as Storages opens it, reading packs ahead.
  @ParameterizedTest
  @ValueSource(strings = {"sftp", "s3", "webdav", "smb", "rclone"})
  void storageKeepsTheContract(String kind) throws Exception {
    try (LoopbackServers.Server server = switch (kind) {
      case "sftp" -> LoopbackServers.sftp();
      case "s3" -> LoopbackServers.s3();
      case "webdav" -> LoopbackServers.webdavApache();
      case "smb" -> LoopbackServers.smb();
      default -> LoopbackServers.rclone();
    }) {
      LocationSpec raw = server.spec("vault", "raw");
      keepsTheContract(() -> switch (kind) {
        case "sftp" -> SftpStorage.open(raw);
        case "s3" -> S3Storage.open(raw);
        case "webdav" -> WebDavStorage.open(raw);
        case "smb" -> SmbStorage.open(raw);
        default -> RcloneStorage.open(raw);
      });
      LocationSpec spec = server.spec("vault", "repo");
      keepsTheContract(() -> Storages.open(spec));
    }
  }

  private interface Opener {
    Storage open() throws IOException;
  }

  @Test
  void rcloneRepositoryIsResticsToo() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.rclone()) {
      twoCopies(rclone(server));
    }
  }

  @Test
  void rcloneCopyAndServerKilledMidway() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.rclone()) {
      bothKilledMidCopy(rclone(server), server);
    }
  }

  private Backend file() throws Exception {
    Restic.program();
    Path repo = dir.resolve("vault");
    return new Backend(LocationSpec.of("vault", repo.toUri().toString()), new Restic(repo, dir),
        repo);
  }

  private Backend sftp(LoopbackServers.Server server) throws Exception {
    Restic.program();
    LocationSpec spec = server.spec("vault", "repo");
    String user = spec.url().getUserInfo();
    String ssh = "ssh -i " + spec.secret(LocationSpec.KEY_FILE).orElseThrow() + " -p "
        + spec.url().getPort() + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
        + " -o BatchMode=yes -o LogLevel=ERROR " + user + "@127.0.0.1 -s sftp";
    return new Backend(spec, new Restic("sftp:" + user + "@127.0.0.1:" + server.storage("repo"),
        dir, List.of("-o", "sftp.command=" + ssh), Map.of()), server.storage("repo"));
  }

  private Backend s3(LoopbackServers.Server server) throws Exception {
    Restic.program();
    LocationSpec spec = server.spec("vault", "repo");
    return new Backend(spec, new Restic("s3:" + spec.option("endpoint").orElseThrow() + "/"
        + LoopbackServers.S3_BUCKET + "/haven/repo", dir, List.of(), Map.of(
            "AWS_ACCESS_KEY_ID", LoopbackServers.S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", LoopbackServers.S3_SECRET_KEY)), server.storage("repo"));
  }

  // restic has no backend for this server's protocol: it reads the directory the server serves.
  private Backend served(LoopbackServers.Server server) throws Exception {
    Restic.program();
    Path files = server.storage("repo");
    return new Backend(server.spec("vault", "repo"), new Restic(files, dir), files);
  }

  // restic's own rclone backend, through the same remote of the same rclone config.
  private Backend rclone(LoopbackServers.Server server) throws Exception {
    Restic.program();
    LocationSpec spec = server.spec("vault", "repo");
    return new Backend(spec, new Restic("rclone:" + spec.url().getSchemeSpecificPart(), dir,
        List.of(), Map.of("RCLONE_CONFIG", spec.option("config").orElseThrow())),
        server.storage("repo"));
  }

  // Storage's promises, on a storage without restic's folders first, as restic's rest backend
  // leaves one: reads of what is not there, parts of a file, ends, listings and deletes.
  private void keepsTheContract(Opener opener) throws Exception {
    byte[] pack = new byte[300_000];
    new Random(7).nextBytes(pack);
    String name = "data/ab/ab" + "0".repeat(62);
    try (Storage storage = opener.open()) {
      assertFalse(storage.exists("config"));
      assertThrows(LocationException.NotFound.class, () -> storage.get("config"));
      assertThrows(LocationException.NotFound.class, () -> storage.read(name, 0, 10));
      assertEquals(List.of(), storage.list("keys"));
      Path file = Files.write(dir.resolve("pack"), pack);
      storage.put(name, file);
      assertFalse(Files.exists(file), "the local file is the storage's to remove");
      storage.put("keys/b", new byte[] {2});
      storage.put("keys/a", new byte[] {1, 1});
      storage.createLayout(); // around the folders that exist now
      assertEquals(List.of(new Storage.Entry("keys/a", 2), new Storage.Entry("keys/b", 1)),
          storage.list("keys"));
      List<Storage.Entry> data = new ArrayList<>();
      storage.list("data", data::add);
      assertEquals(List.of(new Storage.Entry(name, pack.length)), data);
      assertTrue(storage.exists("keys/a"));
      assertArrayEquals(new byte[] {1, 1}, storage.get("keys/a"));
      assertArrayEquals(Arrays.copyOfRange(pack, 1000, 6000), storage.read(name, 1000, 5000));
      assertArrayEquals(Arrays.copyOfRange(pack, 10, 20), storage.read(name, 10, 10));
      assertArrayEquals(Arrays.copyOfRange(pack, pack.length - 4, pack.length),
          storage.read(name, pack.length - 4, 4));
      assertThrows(EOFException.class, () -> storage.read(name, pack.length - 4, 8));
      assertThrows(EOFException.class, () -> storage.read(name, pack.length + 10, 8));
      assertArrayEquals(Arrays.copyOfRange(pack, pack.length - 4, pack.length),
          storage.readUpTo(name, pack.length - 4, 100), "up to the end, not past it");
      assertEquals(0, storage.readUpTo(name, pack.length, 100).length);
      assertEquals(0, storage.readUpTo(name, pack.length + 10, 100).length);
      assertArrayEquals(Arrays.copyOfRange(pack, 0, 100_000), storage.readUpTo(name, 0, 100_000));
      storage.delete("keys/a");
      storage.delete("keys/a");
      storage.delete("keys/never");
      assertFalse(storage.exists("keys/a"));
      assertEquals(List.of(new Storage.Entry("keys/b", 1)), storage.list("keys"));
    }
  }

  private void twoCopies(Backend backend) throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    Path backups = Files.createDirectories(dir.resolve("b"));
    List<String> slugs = new ArrayList<>();
    String where;
    try (Storage storage = Storages.open(backend.spec());
        Repository repo = Repository.init(storage, Restic.PASSWORD, dir)) {
      where = storage.describe();
      for (String name : List.of("first", "second")) {
        Files.writeString(root.resolve("share/changed.txt"), "before the " + name + " copy\n");
        try (BackupArchive a = BackupArchive.open(ResticInteropTest.backup(root, backups,
            name))) {
          slugs.add(a.metadata().orElseThrow().slug());
          BackupCopy.copy(repo, a, Optional.empty());
        }
      }
      repo.loadIndex();
      assertEquals(List.of(), new Checker(repo).check(true).errors());
    }
    backend.restic().run("check", "--read-data");
    JsonNode snaps = new ObjectMapper().readTree(backend.restic().run("snapshots", "--json"));
    List<String> tags = new ArrayList<>();
    snaps.forEach(s -> tags.add(s.get("tags").get(0).asText()));
    assertEquals(slugs, tags, "restic's list of the snapshots Haven wrote to " + where);
    Path target = dir.resolve("restored");
    backend.restic().run("restore", "latest", "--target", target.toString());
    TreeSnapshot.assertSame(ResticInteropTest.expected(root), ResticInteropTest.restored(target),
        "restic's restore of what Haven wrote to " + where);

    // The first forgotten and pruned over the same storage: its trees' pack is repacked.
    try (Storage storage = Storages.open(backend.spec());
        Repository repo = Repository.open(storage, Restic.PASSWORD, dir)) {
      storage.delete("snapshots/" + repo.snapshots().get(0).id());
      Vault.Reclaimed r = Pruner.prune(repo);
      assertTrue(r.packsRepacked() >= 1, r + " in " + where);
    }
    backend.restic().run("check", "--read-data");
    Path pruned = dir.resolve("restored-after-prune");
    backend.restic().run("restore", "latest", "--target", pruned.toString());
    TreeSnapshot.assertSame(ResticInteropTest.expected(root), ResticInteropTest.restored(pruned),
        "restic's restore after Haven's prune of " + where);
  }

  private void killedCopy(Backend backend) throws Exception {
    Path backup = initialised(backend);
    havenKilledMidCopy(backend, backup);
    nextCopyCompletes(backend, backup);
  }

  private void serverKilledMidCopy(Backend backend, LoopbackServers.Server server)
      throws Exception {
    Path backup = initialised(backend);
    serverKilledMidCopy(backend, server, backup);
    nextCopyCompletes(backend, backup);
  }

  // Both kills on one repository, one after the other: the storages added last take half the
  // time of two runs this way, where the suite's time is short.
  private void bothKilledMidCopy(Backend backend, LoopbackServers.Server server)
      throws Exception {
    Path backup = initialised(backend);
    havenKilledMidCopy(backend, backup);
    serverKilledMidCopy(backend, server, backup);
    nextCopyCompletes(backend, backup);
  }

  // An empty repository and a backup larger than a pack, made once for every kill.
  private Path initialised(Backend backend) throws Exception {
    try (Storage storage = Storages.open(backend.spec())) {
      Repository.init(storage, Restic.PASSWORD, dir).close();
    }
    return largeBackup();
  }

  private static synchronized Path largeBackup() throws Exception {
    Path backup = shared.resolve("large-backup");
    if (!Files.isDirectory(backup)) {
      Path root = GenData.copyTo(shared.resolve("large-root"), KILLED_SCALE_MB);
      Path made = ResticInteropTest.backup(root, Files.createDirectories(shared.resolve("b")),
          "x");
      Files.createDirectories(backup);
      Files.move(made, backup.resolve(made.getFileName()));
    }
    try (Stream<Path> files = Files.list(backup)) {
      return files.findFirst().orElseThrow();
    }
  }

  // Haven is killed with SIGKILL once its copy has stored a pack: no snapshot, and restic checks
  // the repository once the dead process's lock is taken away, as after a killed restic.
  private void havenKilledMidCopy(Backend backend, Path backup) throws Exception {
    long packs = count(backend.files(), "data");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        ResticBackendsTest.class.getName(), dir.toString(), backup.toString(),
        backend.spec().url().toString()));
    backend.spec().options().forEach((k, v) -> cmd.add(k + "=" + v));
    backend.spec().secrets().forEach((k, v) -> cmd.add(k + "=" + v));
    Process copy = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("copy.log").toFile()).start();
    for (int i = 0; i < 2400 && count(backend.files(), "data") == packs && copy.isAlive(); i++) {
      Thread.sleep(25);
    }
    assertTrue(copy.isAlive(), "the copy ended before a pack was stored; use a larger root:\n"
        + Files.readString(dir.resolve("copy.log")));
    copy.destroyForcibly();
    copy.waitFor(30, TimeUnit.SECONDS);
    assertEquals(0, count(backend.files(), "snapshots"), "a snapshot of an unfinished copy");
    backend.restic().run("unlock");
    backend.restic().run("check", "--read-data");
  }

  // The server goes away once the copy has stored a pack: the copy fails with what happened and
  // leaves no snapshot; the server is started again.
  private void serverKilledMidCopy(Backend backend, LoopbackServers.Server server, Path backup)
      throws Exception {
    long packs = count(backend.files(), "data");
    CompletableFuture<Void> copy = CompletableFuture.runAsync(() -> {
      try (Repository repo = Repository.open(Storages.open(backend.spec()), Restic.PASSWORD,
          dir); BackupArchive a = BackupArchive.open(backup)) {
        BackupCopy.copy(repo, a, Optional.empty());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    for (int i = 0; i < 2400 && count(backend.files(), "data") == packs && !copy.isDone(); i++) {
      Thread.sleep(25);
    }
    assertFalse(copy.isDone(), "the copy ended before a pack was stored; use a larger root");
    server.kill();
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> copy.get(300, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof UncheckedIOException, failed.toString());
    String why = failed.getCause().getCause().getMessage();
    assertTrue(why != null && !why.isBlank(), "the failure says what happened: " + why);
    assertEquals(0, count(backend.files(), "snapshots"), "a snapshot of an unfinished copy");
    server.restart();
    System.out.println("RESTIC server killed mid-copy: " + why);
  }

  // The next copy completes and restic checks it all. A copy whose server went away could not
  // remove its lock; as restic's, it stays until it is stale (30 minutes), so restic's check is
  // told to take it away.
  private void nextCopyCompletes(Backend backend, Path backup) throws Exception {
    try (Repository repo = Repository.open(Storages.open(backend.spec()), Restic.PASSWORD, dir);
        BackupArchive a = BackupArchive.open(backup)) {
      BackupCopy.copy(repo, a, Optional.empty());
    }
    backend.restic().run("unlock", "--remove-all");
    backend.restic().run("check", "--read-data");
    assertEquals(1, count(backend.files(), "snapshots"));
  }

  // Complete files only: the storages' temporaries are hidden names, and one renamed while the
  // walk lists its directory is passed over.
  private static long count(Path repo, String dir) throws IOException {
    Path top = repo.resolve(dir);
    if (!Files.isDirectory(top)) {
      return 0;
    }
    long[] files = {0};
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
        files[0] += a.isRegularFile() && !p.getFileName().toString().startsWith(".") ? 1 : 0;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return files[0];
  }
}
