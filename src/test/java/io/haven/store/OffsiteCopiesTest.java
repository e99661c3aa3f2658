package io.haven.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.agent.Backups;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.location.ArchiveInfo;
import io.haven.location.ForwardingLocation;
import io.haven.location.IoConsumer;
import io.haven.location.Location;
import io.haven.location.LocationException;
import io.haven.location.Locations;
import io.haven.location.LoopbackServers;
import io.haven.location.RetryingLocation;
import io.haven.tree.Progress;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies to OpenSSH on loopback when the server dies halfway, and the re-run after it. */
class OffsiteCopiesTest {
  @TempDir Path tmp;

  @Test
  void serverKilledMidCopyIsAClearErrorNothingListedAndTheRerunSucceeds() throws Exception {
    StoredBackup backup = backupOf(16 * 1024 * 1024);
    OffsiteCopies copies = new OffsiteCopies(new BackupStore(tmp.resolve("backup")),
        new RemoteCatalog(tmp.resolve("backup")));
    try (LoopbackServers.Server sftp = LoopbackServers.sftp()) {
      var spec = sftp.spec("nas", "copies");
      try (Location location = new RetryingLocation(
          new KillsServerWhileWriting(Locations.open(spec), sftp, 4 * 1024 * 1024))) {
        LocationException.Unreachable e = assertThrows(LocationException.Unreachable.class,
            () -> copies.copy(backup, "nas", location));
        assertTrue(e.getMessage().contains(location.describe()), e.getMessage());
        assertTrue(e.getMessage().contains(backup.file().getFileName().toString()),
            e.getMessage());
      }
      sftp.restart();
      try (Location location = new RetryingLocation(Locations.open(spec))) {
        assertEquals(List.of(), location.list(), "nothing half-written is listed");
        OffsiteCopies.Copy copy = copies.copy(backup, "nas", location);
        assertFalse(copy.alreadyThere());
        assertEquals(Digests.of(backup.file()), copy.sha256());
        assertEquals(List.of(backup.file().getFileName().toString()),
            location.list().stream().map(ArchiveInfo::name).toList());
        assertTrue(copies.copy(backup, "nas", location).alreadyThere(),
            "a verified copy of the same name and size is not sent again");
      }
    }
  }

  private StoredBackup backupOf(int bytes) throws Exception {
    Path share = Files.createDirectories(tmp.resolve("root").resolve("share"));
    byte[] block = new byte[1024 * 1024];
    SplittableRandom random = new SplittableRandom(5);
    try (OutputStream out = Files.newOutputStream(share.resolve("big.bin"))) {
      for (int i = 0; i < bytes / block.length; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    Backups backups = new Backups(new Config(tmp.resolve("root"), tmp.resolve("backup"),
        Compression.NONE, 1), Clock.systemUTC(), "test");
    String slug = backups.create(new BackupRequest("big", List.of(Part.folder("share")),
        Optional.empty(), Compression.NONE, SecureTar.Version.V3, false, Optional.empty()),
        Progress.NONE).metadata().slug();
    return backups.info(slug);
  }

  /** Kills the server once {@code after} bytes of the first write have gone out. */
  private static final class KillsServerWhileWriting extends ForwardingLocation {
    private final LoopbackServers.Server server;
    private final long after;
    private boolean killed;

    KillsServerWhileWriting(Location delegate, LoopbackServers.Server server, long after) {
      super(delegate);
      this.server = server;
      this.after = after;
    }

    @Override
    public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
      delegate.write(name, out -> writer.accept(new FilterOutputStream(out) {
        long written;

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          written += len;
          if (!killed && written >= after) {
            killed = true;
            server.kill();
          }
        }
      }));
    }
  }
}
