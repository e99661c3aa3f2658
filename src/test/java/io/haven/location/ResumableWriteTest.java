package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy the server dropped halfway continues on the next run: the server is killed while a
 * 60 MB file is being sent, started again, and the second run must read (and so send) only what
 * the server did not hold yet, then leave an object with the source's exact bytes.
 */
class ResumableWriteTest {
  private static final long SIZE = 60L * 1024 * 1024;
  private static final long KILL_AT = 30L * 1024 * 1024;
  private static final String NAME = "resumed.tar";

  @TempDir Path tmp;

  @Test
  void s3UploadCutOffResumesWithoutResendingStoredParts() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.s3()) {
      Path file = source();
      ResumeRecords records = ResumeRecords.in(tmp.resolve("resume.json"));
      LocationSpec spec = server.spec("s3", "resume");

      CountingSource first = new CountingSource(file, server);
      String place;
      try (Location s3 = Locations.open(spec)) {
        assertTrue(s3.capabilities().resumable());
        place = s3.describe();
        assertThrows(LocationException.Unreachable.class, () -> s3.write(NAME, first, records));
      }
      server.restart();
      int storedParts = records.get(place, NAME).orElseThrow().path("parts").size();
      CountingSource second = new CountingSource(file, null);
      try (Location s3 = Locations.open(spec)) {
        assertEquals(List.of(), s3.list(), "nothing visible after the cut-off upload");
        s3.write(NAME, second, records);
        assertSameBytes(file, s3);
      }
      assertTrue(storedParts >= 3, "parts stored before the cut-off: " + storedParts);
      assertEquals(SIZE - (long) storedParts * S3UploadStream.PART_BYTES,
          second.bytesRead.get(), "the second run sent only the parts the server lacked");
      assertTrue(Files.readString(tmp.resolve("resume.json")).contains("{}"),
          "the finished upload is forgotten");
    }
  }

  @Test
  void sftpUploadCutOffResumesFromTheTemporarysEnd() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.sftp()) {
      Path file = source();
      ResumeRecords records = ResumeRecords.in(tmp.resolve("resume.json"));
      LocationSpec spec = server.spec("sftp", "resume");

      CountingSource first = new CountingSource(file, server);
      try (Location sftp = Locations.open(spec)) {
        assertTrue(sftp.capabilities().resumable());
        assertThrows(LocationException.Unreachable.class, () -> sftp.write(NAME, first, records));
      }
      server.restart();
      long kept = temporarySize(server.storage("resume"));
      CountingSource second = new CountingSource(file, null);
      try (Location sftp = Locations.open(spec)) {
        assertEquals(List.of(), sftp.list(), "nothing visible after the cut-off upload");
        sftp.write(NAME, second, records);
        assertSameBytes(file, sftp);
      }
      assertTrue(kept > 0, "the cut-off upload left its temporary");
      assertEquals(SIZE - kept, second.bytesRead.get(), "the second run sent only the rest");
      assertEquals(List.of(NAME), Files.list(server.storage("resume"))
          .map(p -> p.getFileName().toString()).toList(), "no temporary left");
    }
  }

  @Test
  void sftpChangedSourceStartsOverAndDropsTheOldTemporary() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.sftp()) {
      Path file = source();
      ResumeRecords records = ResumeRecords.in(tmp.resolve("resume.json"));
      LocationSpec spec = server.spec("sftp", "changed");
      String place;
      try (Location sftp = Locations.open(spec)) {
        place = sftp.describe();
        CountingSource first = new CountingSource(file, server);
        assertThrows(LocationException.Unreachable.class, () -> sftp.write(NAME, first, records));
      }
      server.restart();
      assertTrue(temporarySize(server.storage("changed")) > 0,
          "the cut-off upload left a temporary");
      try (OutputStream out = Files.newOutputStream(file)) {
        TestData.write(out, SIZE, 10); // same size, other bytes
      }
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
      CountingSource second = new CountingSource(file, null);
      try (Location sftp = Locations.open(spec)) {
        sftp.write(NAME, second, records);
        assertSameBytes(file, sftp);
      }
      assertEquals(SIZE, second.bytesRead.get(), "a changed source is sent whole");
      assertEquals(List.of(NAME), LocationContract.filesIn(server.storage("changed")),
          "the outdated temporary is gone");
      assertEquals(Optional.empty(), records.get(place, NAME), "the finished write is forgotten");
    }
  }

  @Test
  void smbUploadCutOffResumesFromTheTemporarysEnd() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.smb()) {
      Path file = source();
      ResumeRecords records = ResumeRecords.in(tmp.resolve("resume.json"));
      LocationSpec spec = server.spec("smb", "resume");

      CountingSource first = new CountingSource(file, server);
      String place;
      try (Location smb = Locations.open(spec)) {
        assertTrue(smb.capabilities().resumable());
        place = smb.describe();
        assertThrows(LocationException.Unreachable.class, () -> smb.write(NAME, first, records));
      }
      server.restart();
      long kept = temporarySize(server.storage("resume"));
      assertTrue(records.get(place, NAME).isPresent(), "the cut-off write is remembered");
      CountingSource second = new CountingSource(file, null);
      try (Location smb = Locations.open(spec)) {
        assertEquals(List.of(), smb.list(), "nothing visible after the cut-off upload");
        assertEquals(Optional.empty(), smb.stat(NAME), "nothing under the name either");
        smb.write(NAME, second, records);
        assertSameBytes(file, smb);
      }
      assertTrue(kept > 0 && kept < SIZE, "the cut-off upload left a partial temporary: " + kept);
      assertEquals(SIZE - kept, second.bytesRead.get(), "the second run sent only the rest");
      assertEquals(List.of(NAME), LocationContract.filesIn(server.storage("resume")),
          "no temporary left");
      assertEquals(Optional.empty(), records.get(place, NAME), "the finished write is forgotten");
    }
  }

  @Test
  void smbChangedSourceStartsOverAndDropsTheOldTemporary() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.smb()) {
      Path file = source();
      ResumeRecords records = ResumeRecords.in(tmp.resolve("resume.json"));
      LocationSpec spec = server.spec("smb", "changed");
      try (Location smb = Locations.open(spec)) {
        CountingSource first = new CountingSource(file, server);
        assertThrows(LocationException.Unreachable.class, () -> smb.write(NAME, first, records));
      }
      server.restart();
      assertTrue(temporarySize(server.storage("changed")) > 0,
          "the cut-off upload left a temporary");
      try (OutputStream out = Files.newOutputStream(file)) {
        TestData.write(out, SIZE, 10); // same size, other bytes, newer modification time
      }
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
      CountingSource second = new CountingSource(file, null);
      try (Location smb = Locations.open(spec)) {
        smb.write(NAME, second, records);
        assertSameBytes(file, smb);
      }
      assertEquals(SIZE, second.bytesRead.get(), "a changed source is sent whole");
      assertEquals(List.of(NAME), LocationContract.filesIn(server.storage("changed")),
          "the outdated temporary is gone");
    }
  }

  @Test
  void smbWrongPasswordIsAClearErrorAndKeepsTheUnfinishedWrite() throws Exception {
    try (LoopbackServers.Server server = LoopbackServers.smb()) {
      Path file = source();
      ResumeRecords records = ResumeRecords.in(tmp.resolve("resume.json"));
      LocationSpec spec = server.spec("smb", "password");
      String place;
      try (Location smb = Locations.open(spec)) {
        place = smb.describe();
        CountingSource first = new CountingSource(file, server);
        assertThrows(LocationException.Unreachable.class, () -> smb.write(NAME, first, records));
      }
      server.restart();
      long kept = temporarySize(server.storage("password"));

      String wrong = "not-the-password-71c2";
      LocationException.AuthenticationFailed e = assertThrows(
          LocationException.AuthenticationFailed.class, () -> {
            try (Location smb = Locations.open(spec.withSecret(LocationSpec.PASSWORD, wrong))) {
              smb.write(NAME, new CountingSource(file, null), records);
            }
          });
      assertTrue(e.getMessage().contains("Login as '" + System.getProperty("user.name")
          + "' was refused"), e.getMessage());
      assertTrue(e.getMessage().contains("Check the password of location 'smb'"), e.getMessage());
      assertFalse(e.getMessage().contains(wrong), e.getMessage());
      assertTrue(records.get(place, NAME).isPresent(), "the unfinished write is still remembered");

      CountingSource second = new CountingSource(file, null);
      try (Location smb = Locations.open(spec)) {
        smb.write(NAME, second, records);
        assertSameBytes(file, smb);
      }
      assertEquals(SIZE - kept, second.bytesRead.get(), "the right password resumes");
    }
  }

  private static long temporarySize(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      List<Path> temps = files.filter(p -> p.getFileName().toString().endsWith(Names.TEMP_SUFFIX))
          .toList();
      assertEquals(1, temps.size(), "one temporary after the cut-off: " + temps);
      return Files.size(temps.get(0));
    }
  }

  private Path source() throws IOException {
    Path file = tmp.resolve("source.tar");
    try (OutputStream out = Files.newOutputStream(file)) {
      TestData.write(out, SIZE, 9);
    }
    return file;
  }

  private static void assertSameBytes(Path file, Location location) throws IOException {
    String expected;
    try (InputStream in = Files.newInputStream(file)) {
      expected = TestData.digest(in);
    }
    assertEquals(expected, location.read(NAME, TestData::digest));
  }

  /** The file, counting what is read from it, killing the server once KILL_AT bytes were read. */
  private static final class CountingSource implements ResumableSource {
    private final Path file;
    private final LoopbackServers.Server killAt;
    final AtomicLong bytesRead = new AtomicLong();
    private boolean killed;

    CountingSource(Path file, LoopbackServers.Server killAt) {
      this.file = file;
      this.killAt = killAt;
    }

    @Override
    public long size() {
      return SIZE;
    }

    @Override
    public String fingerprint() {
      try {
        return Files.getLastModifiedTime(file).toString();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      return new FilterInputStream(in) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0 && bytesRead.addAndGet(n) >= KILL_AT && killAt != null && !killed) {
            killed = true;
            killAt.kill();
          }
          return n;
        }
      };
    }
  }
}
