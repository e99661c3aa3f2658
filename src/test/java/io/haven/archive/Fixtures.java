package io.haven.archive;

import static org.junit.jupiter.api.Assertions.fail;

import io.haven.testing.HaFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The real Home Assistant archives in fixtures kept in src/test/resources/fixtures, and small helpers around them. */
final class Fixtures {
  private Fixtures() {}

  static Path path(String name) {
    return HaFixtures.path(name);
  }

  /** The names of the outer tar's members, without a leading "./". */
  static List<String> members(String fixture) throws IOException {
    List<String> names = new ArrayList<>();
    try (var tar = new TarArchiveInputStream(Files.newInputStream(path(fixture)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName().replaceFirst("^\\./", ""));
      }
    }
    return names;
  }

  /** Decrypts one member of an outer tar with {@code reader} and reads the plaintext whole. */
  static byte[] decrypt(String fixture, String member, SecureTar.Reader reader, String what)
      throws IOException {
    try (var tar = new TarArchiveInputStream(Files.newInputStream(path(fixture)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().replaceFirst("^\\./", "").equals(member)) {
          try (InputStream plain = reader.decrypt(tar, e.getSize(), what)) {
            return plain.readAllBytes();
          }
        }
      }
    }
    return fail("no member " + member + " in " + fixture);
  }

  /** Walks a tar with Commons Compress; returns its entry names. */
  static List<String> tarEntries(InputStream tarStream) throws IOException {
    List<String> names = new ArrayList<>();
    try (var tar = new TarArchiveInputStream(tarStream)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        tar.transferTo(OutputStream.nullOutputStream());
        names.add(e.getName());
      }
    }
    return names;
  }

  static List<String> gzippedTarEntries(byte[] gzip) throws IOException {
    return tarEntries(new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gzip)));
  }
}
