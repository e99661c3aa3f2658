package io.haven.archive;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The inner tar of one part being read: decrypted, decompressed and hashed as it streams. Read
 * entries with {@link #nextEntry()} and {@link #content()}, or the raw tar bytes with
 * {@link #tarStream()}; then {@link #finish()} reads to the end and checks the part against the
 * facts Haven recorded.
 */
public final class PartInput implements Closeable {

  private final Part part;
  private final String what;
  private final Compression compression;
  private final Optional<SecureTar.Version> encryption;
  private final Optional<PartFacts> facts;
  private final InputStream source;
  private final HashingInputStream hashing;
  /** The hashed tar bytes, read ahead on a thread of their own: what the tar reader reads. */
  private final InputStream ahead;
  private TarArchiveInputStream tar;
  private InputStream content;
  private byte[] skipBuffer;
  private boolean inEntry;
  private static final int SKIP_BUFFER = 64 * 1024;

  private PartInput(Part part, String what, Compression compression,
      Optional<SecureTar.Version> encryption, Optional<PartFacts> facts, InputStream source,
      InputStream decompressed, Optional<byte[]> digestKey) {
    this.part = part;
    this.what = what;
    this.compression = compression;
    this.encryption = encryption;
    this.facts = facts;
    this.source = source;
    // Keyed facts are checked with the part's digest key; older and unprotected ones with SHA-256.
    boolean keyed = facts.map(PartFacts::keyed).orElse(false);
    // Decryption, decompression and hashing run on one thread of their own, beside the tar
    // reader's writes: hashing there reads the decompressed bytes where they are, without the
    // copy and the handoff a hashing thread of its own would cost.
    this.hashing = new HashingInputStream(decompressed, keyed ? digestKey : Optional.empty(),
        false);
    this.ahead = new ReadAheadInputStream(hashing, "haven-read-ahead");
  }

  static PartInput open(Part part, String what, InputStream plain,
      Optional<SecureTar.Version> encryption, Optional<PartFacts> facts,
      Optional<byte[]> digestKey) throws IOException {
    InputStream in = plain.markSupported() ? plain : new BufferedInputStream(plain, OuterTar.BLOCK);
    in.mark(OuterTar.BLOCK);
    byte[] head = in.readNBytes(OuterTar.BLOCK);
    in.reset();
    if (!isPlaintext(head, head.length)) {
      throw new ArchiveException.Corrupt(what + " is neither a tar nor gzip/zstd data"
          + (encryption.isPresent() ? " after decryption" : "") + "; the archive is damaged");
    }
    Compression c = Compression.sniff(head, head.length);
    InputStream decompressed = FailureNaming.decompressed(c.decompress(in, what), what, c);
    return new PartInput(part, what, c, encryption, facts, plain, decompressed, digestKey);
  }

  /**
   * Reads a bare, unencrypted part archive that stands on its own (an add-on's
   * {@code <slug>.tar.gz} as the Supervisor keeps it), sniffing its compression.
   */
  public static PartInput bare(Part part, String what, InputStream in) throws IOException {
    return open(part, what, in, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** gzip, zstd, or a tar header ("ustar" at offset 257; an empty tar is all zeros). */
  static boolean isPlaintext(byte[] head, int length) {
    if (Compression.sniff(head, length) != Compression.NONE) {
      return true;
    }
    return length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  public Part part() {
    return part;
  }

  public Compression compression() {
    return compression;
  }

  public Optional<SecureTar.Version> encryption() {
    return encryption;
  }

  /** The decompressed tar bytes, for copying a part as it is; do not mix with nextEntry(). */
  public InputStream tarStream() {
    return ahead;
  }

  /**
   * The next entry, its name checked: an absolute name or one with a ".." segment fails with
   * {@link ArchiveException.Unsafe}. Empty at the end of the part.
   */
  public Optional<TarArchiveEntry> nextEntry() throws IOException {
    if (tar == null) {
      tar = new TarArchiveInputStream(ahead, StandardCharsets.UTF_8.name());
    }
    TarArchiveEntry e;
    try {
      if (inEntry) {
        skipRest();
      }
      e = tar.getNextEntry();
      inEntry = e != null;
    } catch (ArchiveException ex) {
      throw ex;
    } catch (IOException | IllegalArgumentException ex) {
      throw new ArchiveException.Corrupt(what + ": damaged tar entry (" + ex.getMessage()
          + "); the archive is damaged, use another copy", ex);
    }
    if (e != null) {
      EntryNames.check(e.getName(), what);
    }
    return Optional.ofNullable(e);
  }

  // What the reader left of the current entry is read here into one buffer: the tar reader's own
  // skip makes a new buffer each call (half the bytes a copy of unchanged files allocated).
  private void skipRest() throws IOException {
    if (skipBuffer == null) {
      skipBuffer = new byte[SKIP_BUFFER];
    }
    while (tar.read(skipBuffer, 0, skipBuffer.length) > 0) {
      // discard
    }
  }

  /**
   * The current entry's bytes. A tar that ends inside an entry fails with
   * {@link ArchiveException.Corrupt}, like a damaged header does.
   */
  public InputStream content() {
    if (content == null) {
      content = FailureNaming.entry(tar, what);
    }
    return content;
  }

  /**
   * Reads the part to its end and checks its length and SHA-256 against backup.json's facts when
   * Haven wrote them. Fails with {@link ArchiveException.Corrupt} on a mismatch.
   */
  public PartCheck finish() throws IOException {
    byte[] drain = new byte[64 * 1024];
    while (ahead.read(drain) >= 0) {
      // read to the end, so the hash covers the whole stream; the thread reading ahead has
      // ended then, and what it counted and hashed is seen here (it handed over its end)
    }
    drainSource();
    PartCheck check = new PartCheck(hashing.count(), hashing.sha256Hex(),
        facts.map(PartFacts::keyed).orElse(false), facts.isPresent());
    if (facts.isPresent()) {
      PartFacts f = facts.get();
      if (f.tarSize() != check.tarSize() || !f.sha256().equals(check.sha256())) {
        throw new ArchiveException.Corrupt(what + ": content does not match its checksum ("
            + (f.keyed() ? "hmac-sha256 " : "sha256 ")
            + check.sha256() + " != expected " + f.sha256() + ", " + check.tarSize() + " != "
            + f.tarSize() + " bytes); the archive is damaged, use another copy");
      }
    }
    return check;
  }

  // Whatever follows the compressed stream inside the member (a v1 block's padding) is read too,
  // so that decryption sees the whole member and checks its end (v3's FINAL tag).
  private void drainSource() throws IOException {
    byte[] drain = new byte[64 * 1024];
    while (source.read(drain) >= 0) {
      // discard
    }
  }

  @Override
  public void close() throws IOException {
    try (source) {
      ahead.close(); // first: its thread may still be reading from source
    } finally {
      hashing.stopHashing();
    }
  }

  /** What reading a whole part found; {@code keyed}: the digest is an HMAC-SHA256. */
  public record PartCheck(long tarSize, String sha256, boolean keyed, boolean matchedFacts) {}

  /**
   * Turns a library's failure (a decompressor's, the tar reader's "Truncated TAR archive") into a
   * corrupt-archive message that names the part; Haven's own failures pass unchanged.
   */
  private static final class FailureNaming extends FilterInputStream {
    private final String label;
    private final Function<IOException, ArchiveException> named;
    private final boolean closesSource;

    FailureNaming(InputStream in, String label, Function<IOException, ArchiveException> named,
        boolean closesSource) {
      super(in);
      this.label = label;
      this.named = named;
      this.closesSource = closesSource;
    }

    /** A decompressor's stream: EOF means truncated data. */
    static FailureNaming decompressed(InputStream in, String what, Compression c) {
      return new FailureNaming(in, c.toString(), e -> corrupt(what, e instanceof EOFException
          ? "truncated " + c + " data" : "damaged " + c + " data (" + e.getMessage() + ")", e),
          true);
    }

    /** One tar entry's bytes; the entry ends with the tar stream, which PartInput closes. */
    static FailureNaming entry(InputStream tar, String what) {
      return new FailureNaming(tar, "entry",
          e -> corrupt(what, "damaged tar entry (" + e.getMessage() + ")", e), false);
    }

    private static ArchiveException corrupt(String what, String why, IOException e) {
      return new ArchiveException.Corrupt(what + ": " + why
          + "; the archive is damaged, use another copy", e);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (ArchiveException e) {
        throw e;
      } catch (IOException e) {
        throw named.apply(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (ArchiveException e) {
        throw e;
      } catch (IOException e) {
        throw named.apply(e);
      }
    }

    @Override
    public void close() throws IOException {
      if (closesSource) {
        super.close();
      }
    }

    @Override
    public String toString() {
      return label + "(" + in + ")";
    }
  }
}
