package io.haven.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import javax.crypto.Cipher;

/**
 * Opens v1, v2 and v3 parts with one secret. v3 root keys are cached by root salt: the parts of
 * one archive share it, so Argon2id runs once per archive.
 */
final class SecureTarReader implements SecureTar.Reader {
  /** How much of a v1/v2 plaintext the password check looks at: a tar header's worth. */
  private static final int CHECK_BYTES = 512;

  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
  private static final byte[] USTAR = {'u', 's', 't', 'a', 'r'};
  private static final int USTAR_OFFSET = 257;

  private final Secret secret;
  /** {@link SecretStream#open}; a test names one implementation. */
  private final BiFunction<byte[], byte[], SecretStream> streams;
  private final Map<String, byte[]> rootKeys = new ConcurrentHashMap<>();

  SecureTarReader(Secret secret) {
    this(secret, SecretStream::open);
  }

  SecureTarReader(Secret secret, BiFunction<byte[], byte[], SecretStream> streams) {
    this.secret = secret;
    this.streams = streams;
  }

  @Override
  public SecureTar.Plaintext decrypt(InputStream source, long memberSize, String what)
      throws IOException {
    var member = new MemberInputStream(source, memberSize, what, "SecureTar");
    byte[] head = new byte[Header.SNIFF_BYTES];
    int n = member.readUpTo(head, 0, head.length);
    if (!Header.hasMagic(head, n)) {
      return v1(member, head, n, what);
    }
    int version = n > Header.VERSION_OFFSET ? head[Header.VERSION_OFFSET] : -1;
    if (version == 2) {
      return v2(member, readHeader(member, head, Header.V2_BYTES, what), what);
    }
    if (version == 3) {
      return v3(member, readHeader(member, head, Header.V3_BYTES, what), what);
    }
    throw new ArchiveException.Unsupported(
        "Cannot decrypt "
            + what
            + ": SecureTar version "
            + version
            + " is newer than Haven reads (v1, v2, v3). Update Haven.");
  }

  private SecureTar.Plaintext v1(MemberInputStream member, byte[] salt, int n, String what)
      throws IOException {
    String format = "SecureTar v1";
    if (n < Keys.SALT_BYTES) {
      throw SecureTarFailures.damaged(what, format, "truncated");
    }
    byte[] key = aesKey();
    byte[] ownSalt = Arrays.copyOf(salt, Keys.SALT_BYTES);
    return new SecureTar.Plaintext(
        cbc(member, key, salt, 0, CbcInputStream.Padding.BEST_EFFORT, what, format),
        Keys.digestKey(key, ownSalt));
  }

  private SecureTar.Plaintext v2(MemberInputStream member, byte[] header, String what)
      throws IOException {
    byte[] key = aesKey();
    byte[] salt = Header.v2Salt(header);
    return new SecureTar.Plaintext(cbc(member, key, salt, Header.plaintextSize(header),
        CbcInputStream.Padding.REQUIRED, what, "SecureTar v2"), Keys.digestKey(key, salt));
  }

  private InputStream cbc(
      MemberInputStream member,
      byte[] key,
      byte[] salt,
      long expectedSize,
      CbcInputStream.Padding padding,
      String what,
      String format)
      throws IOException {
    long sealedLength = member.remaining();
    if (sealedLength == 0 || sealedLength % CbcInputStream.BLOCK != 0) {
      throw SecureTarFailures.damaged(
          what, format, "its " + sealedLength + " encrypted bytes are not whole AES blocks");
    }
    byte[] iv = Keys.cbcIv(key, salt);
    byte[] sealedHead = new byte[(int) Math.min(CHECK_BYTES, sealedLength)];
    member.readUpTo(sealedHead, 0, sealedHead.length);
    checkFirstBytes(decryptHead(key, iv, sealedHead), sealedHead.length == sealedLength, what, format);
    var replayed = new SequenceInputStream(new ByteArrayInputStream(sealedHead), member);
    Cipher cipher = Keys.aesCbc(Cipher.DECRYPT_MODE, key, iv, "NoPadding");
    return new CbcInputStream(replayed, cipher, sealedLength, padding, expectedSize, what, format);
  }

  private static byte[] decryptHead(byte[] key, byte[] iv, byte[] sealedHead) {
    try {
      return Keys.aesCbc(Cipher.DECRYPT_MODE, key, iv, "NoPadding").doFinal(sealedHead);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("whole blocks always decrypt", e);
    }
  }

  /**
   * v1/v2 have no password check of their own (FORMAT.md section 3): a right key gives a gzip,
   * zstd or tar header, a wrong one noise. An empty plaintext cannot be checked.
   */
  private static void checkFirstBytes(byte[] plain, boolean whole, String what, String format)
      throws ArchiveException.WrongPassword {
    int length = whole ? plain.length - CbcInputStream.pkcs7Length(plain, plain.length) : plain.length;
    boolean looksLikePart =
        length == 0
            || startsWith(plain, length, GZIP_MAGIC)
            || startsWith(plain, length, ZSTD_MAGIC)
            || (length >= USTAR_OFFSET + USTAR.length
                && Arrays.equals(
                    plain, USTAR_OFFSET, USTAR_OFFSET + USTAR.length, USTAR, 0, USTAR.length));
    if (!looksLikePart) {
      throw SecureTarFailures.wrongPassword(what, format);
    }
  }

  /** Whether {@code plain[0, length)} begins with {@code magic}, or with part of it if shorter. */
  private static boolean startsWith(byte[] plain, int length, byte[] magic) {
    int n = Math.min(length, magic.length);
    return Arrays.equals(plain, 0, n, magic, 0, n);
  }

  private SecureTar.Plaintext v3(MemberInputStream member, byte[] header, String what)
      throws IOException {
    var fields = V3Header.parse(header);
    byte[] rootKey = rootKey(fields.rootSalt(), what);
    byte[] validationKey = Keys.subkey(rootKey, fields.validationSalt());
    if (!MessageDigest.isEqual(validationKey, fields.validationKey())) {
      throw SecureTarFailures.wrongPassword(what, "SecureTar v3");
    }
    byte[] fileKey = Keys.subkey(rootKey, fields.derivationSalt());
    var stream = streams.apply(fileKey, fields.streamHeader());
    return new SecureTar.Plaintext(
        new SecretStreamInputStream(member, stream, fields.plaintextSize(), what),
        Keys.digestKey(fileKey, fields.derivationSalt()));
  }

  private byte[] rootKey(byte[] rootSalt, String what) throws ArchiveException {
    if (!(secret instanceof Secret.Password password)) {
      throw new ArchiveException.PasswordRequired(
          "Cannot decrypt "
              + what
              + ": SecureTar v3 opens with the backup's password, not a raw key. Give the"
              + " password.");
    }
    return rootKeys.computeIfAbsent(
        HexFormat.of().formatHex(rootSalt), salt -> Keys.argon2RootKey(password.value(), rootSalt));
  }

  /** The v1/v2 AES key: a raw key as given, or derived from the password. */
  private byte[] aesKey() {
    if (secret instanceof Secret.RawKey raw) {
      return raw.key();
    }
    return Keys.passwordToKey(((Secret.Password) secret).value());
  }

  private static byte[] readHeader(MemberInputStream member, byte[] head, int length, String what)
      throws IOException {
    byte[] header = Arrays.copyOf(head, length);
    int rest = length - head.length;
    if (member.readUpTo(header, head.length, rest) < rest) {
      throw SecureTarFailures.damaged(what, "SecureTar", "truncated inside its header");
    }
    Header.checkReserved(header, what);
    return header;
  }
}
