package io.haven.archive;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** SecureTar's key derivations (FORMAT.md section 3), each a pure function of its inputs. */
final class Keys {
  static final int AES_KEY_BYTES = 16;
  static final int SALT_BYTES = 16;
  static final int ROOT_KEY_BYTES = 32;

  private static final int SHA256_ROUNDS = 100;
  private static final int ARGON2_ITERATIONS = 8;
  private static final int ARGON2_MEMORY_KIB = 16 * 1024;
  private static final byte[] PERSONAL = Arrays.copyOf(bytes("SecureTarv3"), 16);

  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /** Fresh salts and stream headers. */
  static byte[] random(int length) {
    byte[] out = new byte[length];
    RANDOM.nextBytes(out);
    return out;
  }

  /**
   * AES-128-CBC for v1/v2, from the JDK provider (hardware AES where the CPU has it).
   *
   * @param padding "PKCS5Padding" (the same as PKCS7 for 16-byte blocks) or "NoPadding"
   */
  static Cipher aesCbc(int mode, byte[] key, byte[] iv, String padding) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/" + padding);
      cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has AES/CBC/" + padding, e);
    }
  }

  /** v1/v2 key: SHA-256 applied 100 times to the UTF-8 password, first 16 bytes. */
  static byte[] passwordToKey(String password) {
    return Arrays.copyOf(sha256Rounds(bytes(password)), AES_KEY_BYTES);
  }

  /** v1/v2 IV: SHA-256 applied 100 times to key || salt, first 16 bytes (the header holds the salt). */
  static byte[] cbcIv(byte[] key, byte[] salt) {
    byte[] seed = Arrays.copyOf(key, key.length + salt.length);
    System.arraycopy(salt, 0, seed, key.length, salt.length);
    return Arrays.copyOf(sha256Rounds(seed), 16);
  }

  /**
   * v3 root key: Argon2id (v1.3, t=8, m=16 MiB, p=1) of the password, 32 bytes; libsodium's where
   * it was loaded (0.15 s against Bouncy Castle's 1.8 s in a JVM just started).
   */
  static byte[] argon2RootKey(String password, byte[] rootSalt) {
    byte[] key = new byte[ROOT_KEY_BYTES];
    if (Sodium.AVAILABLE
        && Sodium.argon2id(key, bytes(password), rootSalt, ARGON2_ITERATIONS, ARGON2_MEMORY_KIB)) {
      return key;
    }
    return argon2RootKeyInJava(password, rootSalt);
  }

  static byte[] argon2RootKeyInJava(String password, byte[] rootSalt) {
    var params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withIterations(ARGON2_ITERATIONS)
            .withMemoryAsKB(ARGON2_MEMORY_KIB)
            .withParallelism(1)
            .withSalt(rootSalt)
            .build();
    var generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] key = new byte[ROOT_KEY_BYTES];
    generator.generateBytes(bytes(password), key);
    return key;
  }

  /**
   * v3 subkey: keyed BLAKE2b-256 of the empty message with this salt and the "SecureTarv3"
   * personalisation. The validation key and every part's file key are made this way.
   */
  static byte[] subkey(byte[] rootKey, byte[] salt) {
    var digest = new Blake2bDigest(rootKey, 32, salt, PERSONAL);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /**
   * The key of a protected part's digest in backup.json (an HMAC-SHA256 of its tar stream), from
   * the part's own key and salt: without the password the digest says nothing about the
   * content, and no two parts share a key. v3: the part's file key; v1/v2: the AES key and the
   * part's salt (or its first 16 encrypted bytes for v1, which has no salt of its own).
   */
  static byte[] digestKey(byte[] partKey, byte[] partSalt) {
    byte[] label = bytes("Haven part digest");
    byte[] message = Arrays.copyOf(label, label.length + partSalt.length);
    System.arraycopy(partSalt, 0, message, label.length, partSalt.length);
    return hmacSha256(partKey).doFinal(message);
  }

  /** HMAC-SHA256 keyed with {@code key}, which every Java runtime has. */
  static Mac hmacSha256(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  private static byte[] sha256Rounds(byte[] input) {
    MessageDigest sha256 = sha256();
    byte[] value = input;
    for (int i = 0; i < SHA256_ROUNDS; i++) {
      value = sha256.digest(value);
    }
    return value;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
