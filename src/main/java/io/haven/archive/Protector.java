package io.haven.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Encrypts an unprotected backup on its way out (an offsite copy), streaming: each part's stored
 * bytes, compressed as they are, pass through SecureTar into the output, and backup.json follows
 * marked protected, in Home Assistant's layout as {@link BackupWriter} writes it. An encrypted
 * part's size is known before its first byte ({@link SecureTar#encryptedSize}), so every header
 * is written in order and nothing is patched or staged: memory is a few fixed buffers whatever
 * the backup's size. Haven's per-part facts are kept, each digest re-made as the keyed one a
 * protected part has; the part is read back through its decompressor on the way, and a part
 * whose bytes no longer match its recorded SHA-256 stops the copy as damaged.
 */
public final class Protector {
  private static final int BUFFER = 256 * 1024;

  private Protector() {}

  /**
   * Writes {@code source} (not protected) to {@code sink}, each part encrypted with
   * {@code password} in SecureTar {@code version}; does not close {@code sink}. Returns the
   * metadata written.
   */
  public static BackupMetadata protect(BackupArchive source, SecureTar.Version version,
      Secret.Password password, OutputStream sink, Instant now) throws IOException {
    BackupMetadata meta = source.metadata().orElseThrow(() -> new ArchiveException.Unsupported(
        source.describe() + " has no backup.json, so it cannot be encrypted for a copy"));
    if (meta.isProtected()) {
      throw new IllegalArgumentException(source.describe() + " is protected already");
    }
    SecureTar.Writer writer = SecureTar.writer(version, password);
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    CountingOutputStream counted = new CountingOutputStream(sink);
    OutputStream out = new BufferedOutputStream(counted, BUFFER);
    Optional<HavenFacts> haven = meta.haven();
    Map<String, PartFacts> facts = new LinkedHashMap<>();
    for (Part part : source.parts()) {
      Optional<PartFacts> known = haven.flatMap(h -> h.part(part));
      long stored = source.storedSize(part);
      long size = SecureTar.encryptedSize(version, stored);
      out.write(OuterTar.paxMtime(micros));
      out.write(OuterTar.fileHeader(source.memberName(part), size, micros / 1_000_000));
      Optional<PartFacts> keyed = encryptPart(source, part, writer, stored, known, out);
      keyed.ifPresent(f -> facts.put(part.memberBase(),
          new PartFacts(f.tarSize(), f.sha256(), f.files(), f.fileBytes(), size, true)));
      out.write(new byte[OuterTar.padding(size)]);
    }
    BackupMetadata written = meta.withForm(meta.compressed(), true);
    if (haven.isPresent()) {
      HavenFacts h = haven.get();
      written = written.withHaven(new HavenFacts(h.havenVersion(), h.compression(),
          "securetar-" + version.name().toLowerCase(java.util.Locale.ROOT), facts, h.source(),
          h.excludes()));
    }
    byte[] json = BackupJson.write(written);
    out.write(OuterTar.fileHeader("./backup.json", json.length, micros / 1_000_000));
    out.write(json);
    out.write(new byte[OuterTar.padding(json.length)]);
    out.write(new byte[2 * OuterTar.BLOCK]);
    out.flush();
    // Python's tarfile ends the archive on a whole record, as BackupWriter does.
    out.write(new byte[(int) ((OuterTar.RECORD - counted.count() % OuterTar.RECORD)
        % OuterTar.RECORD)]);
    out.flush();
    return written;
  }

  /**
   * Streams one part's stored bytes through the encryptor; with {@code known} facts, also
   * through the decompressor, to check the plain SHA-256 and make the keyed digest.
   */
  private static Optional<PartFacts> encryptPart(BackupArchive source, Part part,
      SecureTar.Writer writer, long stored, Optional<PartFacts> known, OutputStream out)
      throws IOException {
    String what = source.describe() + ", part '" + part + "'";
    try (InputStream raw = source.storedPart(part)) {
      SecureTar.SecureTarOutput enc = writer.encrypt(new CountingOutputStream(out), stored);
      CopyingInputStream tee = new CopyingInputStream(raw, enc);
      Optional<PartFacts> keyed = Optional.empty();
      if (known.isPresent()) {
        keyed = Optional.of(rehash(tee, known.get(), enc.digestKey(), source, part, what));
      }
      tee.drain();
      enc.close();
      if (enc.plaintextSize() != stored) {
        throw new ArchiveException.Corrupt(what + " ended after " + enc.plaintextSize()
            + " of " + stored + " bytes; use another copy");
      }
      return keyed;
    }
  }

  private static PartFacts rehash(InputStream stored, PartFacts known, byte[] digestKey,
      BackupArchive source, Part part, String what) throws IOException {
    Compression c = Compression.ofMemberName(source.memberName(part)).orElse(Compression.NONE);
    HashingInputStream plain = new HashingInputStream(c.decompress(stored, what));
    HashingInputStream keyed = new HashingInputStream(plain, Optional.of(digestKey));
    try {
      keyed.transferTo(OutputStream.nullOutputStream());
      String sha = plain.sha256Hex();
      if (plain.count() != known.tarSize() || (!known.keyed() && !sha.equals(known.sha256()))) {
        throw new ArchiveException.Corrupt(what + " does not match its recorded SHA-256 ("
            + sha + " != " + known.sha256() + "); it was not copied. Verify the backup and use"
            + " another copy.");
      }
      return new PartFacts(known.tarSize(), keyed.sha256Hex(), known.files(), known.fileBytes(),
          known.stored(), true);
    } finally {
      plain.stopHashing();
      keyed.stopHashing();
    }
  }
}
