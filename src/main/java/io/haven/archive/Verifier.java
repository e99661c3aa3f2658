package io.haven.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Reads every part of a backup to its end: decrypts (checking v3 authentication and its FINAL tag),
 * decompresses, walks every tar entry and reads every byte, and compares each part with the facts
 * Haven recorded. A wrong or missing password stops at once; other damage is reported per part.
 */
public final class Verifier {
  private Verifier() {}

  /** The outcome for one part: {@code problem} is empty when it is intact. */
  public record PartResult(
      Part part,
      String member,
      long stored,
      Optional<SecureTar.Version> encryption,
      Compression compression,
      long entries,
      long fileBytes,
      long tarSize,
      String sha256,
      boolean keyed,
      boolean matchedFacts,
      Optional<ArchiveException> problem) {}

  /** All parts' outcomes; intact only when every part is. */
  public record Report(String archive, List<PartResult> parts) {
    public boolean intact() {
      return parts.stream().allMatch(p -> p.problem().isEmpty());
    }

    /** The first problem, for the exit code and the closing message. */
    public Optional<ArchiveException> firstProblem() {
      return parts.stream().flatMap(p -> p.problem().stream()).findFirst();
    }
  }

  public static Report verify(BackupArchive archive, Optional<Secret> secret) throws IOException {
    List<PartResult> results = new ArrayList<>();
    for (Part part : archive.parts()) {
      results.add(verifyPart(archive, part, secret));
    }
    return new Report(archive.describe(), results);
  }

  private static PartResult verifyPart(BackupArchive archive, Part part, Optional<Secret> secret)
      throws IOException {
    String member = archive.memberName(part);
    long stored = archive.storedSize(part);
    Optional<SecureTar.Version> encryption = Optional.empty();
    Compression compression = Compression.ofMemberName(member).orElse(Compression.NONE);
    long entries = 0;
    long fileBytes = 0;
    try (PartInput in = archive.openPart(part, secret)) {
      encryption = in.encryption();
      compression = in.compression();
      byte[] buf = new byte[64 * 1024];
      for (Optional<TarArchiveEntry> e = in.nextEntry(); e.isPresent(); e = in.nextEntry()) {
        entries++;
        fileBytes += readAll(in.content(), buf);
      }
      PartInput.PartCheck check = in.finish();
      return new PartResult(part, member, stored, encryption, compression, entries, fileBytes,
          check.tarSize(), check.sha256(), check.keyed(), check.matchedFacts(), Optional.empty());
    } catch (ArchiveException.WrongPassword | ArchiveException.PasswordRequired e) {
      throw e;
    } catch (ArchiveException e) {
      return new PartResult(part, member, stored, encryption, compression, entries, fileBytes,
          0, "", false, false, Optional.of(e));
    }
  }

  private static long readAll(InputStream in, byte[] buf) throws IOException {
    long n = 0;
    for (int r; (r = in.read(buf)) >= 0; ) {
      n += r;
    }
    return n;
  }
}
