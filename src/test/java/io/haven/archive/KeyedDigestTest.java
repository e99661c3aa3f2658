package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A protected backup's backup.json must not confirm a guess at a part: its digest is keyed from
 * the part's own key, while archives that recorded a plain SHA-256 still verify.
 */
class KeyedDigestTest {
  private static final Secret.Password PASSWORD = new Secret.Password("ABCD-EFGH-IJKL-MNOP-QRST");
  private static final Part SSL = Part.folder("ssl");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = SecureTar.Version.class, names = {"V2", "V3"})
  void aProtectedPartsDigestRevealsNothingWithoutTheKeyAndOldOnesStillVerify(
      SecureTar.Version version) throws Exception {
    byte[] tar = smallSslPart();
    String plain = Sha256.hex(MessageDigest.getInstance("SHA-256").digest(tar));
    Path file = write(tar, version);

    String json = backupJson(file);
    assertFalse(json.contains(plain), "the plain SHA-256 of ssl is not in backup.json: " + json);
    assertFalse(json.contains("\"sha256\""), json);
    try (BackupArchive archive = BackupArchive.open(file)) {
      PartFacts facts = archive.metadata().orElseThrow().haven().orElseThrow().part(SSL)
          .orElseThrow();
      assertTrue(facts.keyed());
      Verifier.Report report = Verifier.verify(archive, Optional.of(PASSWORD));
      assertTrue(report.intact(), report.toString());
      assertTrue(report.parts().get(0).matchedFacts());
    }

    // As an older Haven wrote it: the plain SHA-256 under "sha256".
    String hmac = json.replaceAll("(?s).*\"hmac_sha256\":\"([0-9a-f]{64})\".*", "$1");
    Path old = rewriteJson(file, j -> j.replace("\"hmac_sha256\":\"" + hmac + "\"",
        "\"sha256\":\"" + plain + "\""));
    try (BackupArchive archive = BackupArchive.open(old)) {
      assertFalse(archive.metadata().orElseThrow().haven().orElseThrow().part(SSL).orElseThrow()
          .keyed());
      assertTrue(Verifier.verify(archive, Optional.of(PASSWORD)).intact());
    }

    // A keyed digest that does not match is damage, named as such.
    Path damaged = rewriteJson(file, j -> j.replace(hmac, "0".repeat(64)));
    try (BackupArchive archive = BackupArchive.open(damaged)) {
      ArchiveException problem = Verifier.verify(archive, Optional.of(PASSWORD)).firstProblem()
          .orElseThrow();
      assertInstanceOf(ArchiveException.Corrupt.class, problem);
      assertTrue(problem.getMessage().contains("(hmac-sha256 " + hmac + " != expected "
          + "0".repeat(64)), problem.getMessage());
    }
  }

  private static byte[] smallSslPart() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] pem = "-----BEGIN CERTIFICATE-----\nguessable\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("fullchain.pem");
      e.setSize(pem.length);
      tar.putArchiveEntry(e);
      tar.write(pem);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private Path write(byte[] tar, SecureTar.Version version) throws IOException {
    Path file = dir.resolve("protected-" + version + ".tar");
    var options = new BackupWriter.Options(Compression.GZIP,
        Optional.of(SecureTar.writer(version, PASSWORD)), 1);
    try (BackupWriter writer = BackupWriter.create(file, options, Instant.EPOCH)) {
      try (PartOutput out = writer.beginPart(SSL)) {
        out.write(tar);
        out.rawCounts(1, 37);
      }
      writer.finish(new BackupMetadata("5e5e5e5e", "keyed", "2026-12-07T00:00:00+00:00",
          BackupMetadata.Type.PARTIAL, true, true, Optional.empty(), List.of("ssl"), List.of(),
          List.of(), null, null, null), "test", JsonNodeFactory.instance.objectNode());
    }
    return file;
  }

  private static String backupJson(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().endsWith("backup.json")) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8).replace(" ", "");
        }
      }
    }
    throw new IOException("no backup.json");
  }

  /** A copy of {@code file} whose backup.json (compacted) is {@code change}d. */
  private Path rewriteJson(Path file, UnaryOperator<String> change) throws IOException {
    Path copy = dir.resolve("rewritten-" + System.nanoTime() + ".tar");
    try (InputStream in = Files.newInputStream(file);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        OutputStream out = Files.newOutputStream(copy);
        TarArchiveOutputStream outTar = new TarArchiveOutputStream(out)) {
      outTar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      outTar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        byte[] body = tar.readAllBytes();
        if (e.getName().endsWith("backup.json")) {
          body = change.apply(new String(body, StandardCharsets.UTF_8).replace(" ", ""))
              .getBytes(StandardCharsets.UTF_8);
        }
        TarArchiveEntry copied = new TarArchiveEntry(e.getName());
        copied.setSize(body.length);
        outTar.putArchiveEntry(copied);
        outTar.write(body);
        outTar.closeArchiveEntry();
      }
    }
    return copy;
  }
}
