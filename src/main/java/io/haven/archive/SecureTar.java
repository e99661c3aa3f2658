package io.haven.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * SecureTar, Home Assistant's encryption of one inner part archive (FORMAT.md section 3).
 * Writes v2 (AES-128-CBC) and v3 (Argon2id + XChaCha20-Poly1305 secretstream); reads v1, v2, v3,
 * told apart by the header. Compress first, then encrypt: the plaintext is the compressed part.
 */
public final class SecureTar {
  /** The on-disk versions. */
  public enum Version {
    V1,
    V2,
    V3
  }

  /** Offset of the 8-byte big-endian plaintext size in a v2/v3 header. */
  public static final int PLAINTEXT_SIZE_OFFSET = 16;

  private SecureTar() {}

  /**
   * The bytes a part of {@code plaintextSize} bytes takes once encrypted: v2 is the 48-byte
   * header and PKCS7-padded AES blocks; v3 the 136-byte header and 17 bytes for each 1 MiB chunk
   * (at least one, the FINAL one).
   */
  public static long encryptedSize(Version version, long plaintextSize) {
    switch (version) {
      case V2:
        return Header.V2_BYTES + (plaintextSize / 16 + 1) * 16;
      case V3:
        long chunks = Math.max(1, (plaintextSize + SecretStream.MAX_CHUNK - 1)
            / SecretStream.MAX_CHUNK);
        return Header.V3_BYTES + plaintextSize + chunks * SecretStream.OVERHEAD;
      default:
        throw new IllegalArgumentException("SecureTar " + version + " is read, never written");
    }
  }

  /** Whether a member starting with these bytes has the v2/v3 "SecureTar" magic. */
  public static boolean hasMagic(byte[] head, int length) {
    return Header.hasMagic(head, length);
  }

  /**
   * Keys for writing one archive. For v3 the Argon2id root key is derived once here (about a
   * quarter of a second and 16 MiB of memory) and its salts are shared by every part of the
   * archive, as Home Assistant does; each part still gets its own random derivation salt and
   * stream header. v2 parts each get a random salt. Thread-safe: parts may be encrypted at once.
   *
   * @throws IllegalArgumentException for {@link Version#V1}, which is only read
   */
  public static Writer writer(Version version, Secret.Password password) {
    switch (version) {
      case V2:
        return new V2Writer(password);
      case V3:
        return new V3Writer(password);
      default:
        throw new IllegalArgumentException("SecureTar " + version + " is read, never written");
    }
  }

  /**
   * Keys for reading; v3 root keys are cached by root salt, so Argon2id runs once per archive.
   * A {@link Secret.RawKey} opens v1 (and v2) parts; v3 parts need a {@link Secret.Password} and
   * fail with {@link ArchiveException.PasswordRequired} otherwise. Thread-safe.
   */
  public static Reader reader(Secret secret) {
    return new SecureTarReader(secret);
  }

  /** Encrypts parts of one archive. */
  public interface Writer {
    /**
     * Wraps {@code out}: bytes written are encrypted; closing writes the last block (v3: the FINAL
     * chunk) and closes {@code out}. The header's plaintext size is written as 0 when it is not yet
     * known: the caller patches it at {@link #PLAINTEXT_SIZE_OFFSET} with
     * {@link SecureTarOutput#plaintextSize()} once the stream is closed (v3 readers need it exact).
     */
    SecureTarOutput encrypt(OutputStream out) throws IOException;

    /**
     * As {@link #encrypt(OutputStream)}, for a plaintext of {@code plaintextSize} bytes known
     * beforehand: the header carries it at once, so the part can be streamed where nothing is
     * patched afterwards (a location's upload). Write exactly that many bytes.
     */
    SecureTarOutput encrypt(OutputStream out, long plaintextSize) throws IOException;

    Version version();
  }

  /** The encrypting stream of one part. */
  public abstract static class SecureTarOutput extends java.io.FilterOutputStream {
    private final byte[] digestKey;

    SecureTarOutput(OutputStream out, byte[] digestKey) {
      super(out);
      this.digestKey = digestKey.clone();
    }

    /** The key of this part's digest in backup.json (see {@link Plaintext#digestKey()}). */
    public byte[] digestKey() {
      return digestKey.clone();
    }

    /** Plaintext bytes written so far; final once closed. */
    public abstract long plaintextSize();
  }

  /** Decrypts parts. */
  public interface Reader {
    /**
     * Opens one encrypted member of {@code memberSize} bytes; {@code what} names the archive and part
     * for messages ("backup 'a1b2c3d4', part 'ssl'"). The version is read from the header (no magic
     * means v1). Fails with {@link ArchiveException.WrongPassword} when the key does not fit (exactly
     * for v3, by the first block for v1/v2) before returning, and later with
     * {@link ArchiveException.Corrupt} for a failed authentication, truncation, a missing or early
     * FINAL tag. The returned stream ends exactly at the plaintext's end; it reads no further than
     * {@code memberSize} bytes of {@code member}, and closing it does not close {@code member}
     * (usually the outer tar, whose next entries are still to come).
     *
     * <p>v1/v2 have no password check of their own: the first decrypted bytes must look like a
     * gzip, zstd or tar header, or the key is taken to be wrong. A v2 header size of 0 is not
     * trusted (in-place writers leave it so); a non-zero one must match the data. v3 messages
     * name the reason: "authentication failed", "truncated", "stream not finished (no FINAL
     * tag)" or "data after the end (early FINAL tag)".
     */
    Plaintext decrypt(InputStream member, long memberSize, String what) throws IOException;
  }

  /** A part's decrypted bytes, with the key its digest in backup.json was made with. */
  public static final class Plaintext extends java.io.FilterInputStream {
    private final byte[] digestKey;

    Plaintext(InputStream in, byte[] digestKey) {
      super(in);
      this.digestKey = digestKey.clone();
    }

    /**
     * The key of the part's HMAC-SHA256 in backup.json, derived from the part's own key and
     * salt: the digest reveals nothing to whoever lacks the password.
     */
    public byte[] digestKey() {
      return digestKey.clone();
    }

    @Override
    public String toString() {
      return "Decrypted(" + in + ")";
    }
  }
}
