package io.haven.archive;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libsodium (the libsodium23 package), bound through JNA's direct mapping, for SecureTar v3: its
 * secretstream and Argon2id give the bytes Haven's Java code gives, with vectorised code that
 * takes a quarter of the CPU (a tenth, for Argon2id in a JVM just started). Where it cannot be
 * loaded, or disagrees with the Java code, {@link #AVAILABLE} is false and the log says so once.
 */
final class Sodium {
  private static final Logger LOG = LoggerFactory.getLogger(Sodium.class);

  /** {k[32], nonce[12], _pad[8]} in libsodium 1.0.x; checked against the library on load. */
  static final int STATE_BYTES = 52;

  private static final int ALG_ARGON2ID13 = 2;

  /** Whether libsodium was loaded and gives the Java implementation's bytes. */
  static final boolean AVAILABLE = load();

  private Sodium() {}

  // libsodium 1.0.18's declarations. Every length is an unsigned long long, 64 bits on 32-bit ARM
  // too, so a Java long; statebytes' result and pwhash's memlimit are size_t, which is a C long
  // on Linux, so NativeLong, on 32 and 64 bits alike.

  private static native int sodium_init();

  private static native NativeLong crypto_secretstream_xchacha20poly1305_statebytes();

  static native int crypto_secretstream_xchacha20poly1305_init_pull(
      Pointer state, Pointer header, Pointer key);

  static native int crypto_secretstream_xchacha20poly1305_push(Pointer state, Pointer c,
      Pointer clenP, Pointer m, long mlen, Pointer ad, long adlen, byte tag);

  static native int crypto_secretstream_xchacha20poly1305_pull(Pointer state, Pointer m,
      Pointer mlenP, Pointer tagP, Pointer c, long clen, Pointer ad, long adlen);

  private static native int crypto_pwhash(byte[] out, long outlen, byte[] passwd, long passwdlen,
      byte[] salt, long opslimit, NativeLong memlimit, int alg);

  /**
   * Argon2id v1.3 with one lane (libsodium's only), as {@link Keys#argon2RootKey}; false when
   * libsodium could not have the memory, and then {@code out} is not the key.
   */
  static boolean argon2id(byte[] out, byte[] password, byte[] salt, int iterations,
      int memoryKib) {
    return crypto_pwhash(out, out.length, password, password.length, salt, iterations,
        new NativeLong(memoryKib * 1024L), ALG_ARGON2ID13) == 0;
  }

  private static boolean load() {
    String problem;
    try {
      Native.register(Sodium.class, library());
      if (sodium_init() < 0) {
        problem = "libsodium did not start";
      } else if (crypto_secretstream_xchacha20poly1305_statebytes().longValue() != STATE_BYTES) {
        problem = "this libsodium's stream state is not the 52 bytes of version 1.0";
      } else {
        problem = sameAsJava() ? null : "libsodium and Haven's own encryption disagree";
      }
    } catch (LinkageError e) { // UnsatisfiedLinkError, or no JNA for this platform
      problem = "it cannot be loaded (" + String.join(" ", e.getMessage().strip().lines()
          .map(String::strip).toList()) + ")";
    }
    if (problem != null) {
      LOG.warn("Encrypted backups (SecureTar v3) are made and read without libsodium, several"
          + " times slower: {}. Install the libsodium23 package for full speed.", problem);
    }
    return problem == null;
  }

  /** The Debian package has no unversioned name without libsodium-dev; JNA finds it mostly. */
  private static NativeLibrary library() {
    try {
      return NativeLibrary.getInstance("sodium");
    } catch (UnsatisfiedLinkError e) {
      return NativeLibrary.getInstance("libsodium.so.23");
    }
  }

  /**
   * Seals three chunks both ways (the middle one rekeys) and opens them crosswise: a library
   * with another ABI than these declarations would not give the same bytes. (Argon2id is not
   * checked here: in Java it takes a second in a JVM just started.)
   */
  private static boolean sameAsJava() {
    byte[] key = new byte[32];
    byte[] header = new byte[SecretStream.HEADER_BYTES];
    Arrays.fill(key, (byte) 7);
    Arrays.fill(header, (byte) 9);
    byte[] plain = new byte[1000];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) i;
    }
    byte[] tags = {SecretStream.TAG_MESSAGE, 0x02, SecretStream.TAG_FINAL};
    SecretStream java = new JavaSecretStream(key, header);
    SecretStream sodium = new SodiumSecretStream(key, header);
    SecretStream javaPull = new JavaSecretStream(key, header);
    SecretStream sodiumPull = new SodiumSecretStream(key, header);
    int overhead = SecretStream.OVERHEAD;
    byte[] a = new byte[plain.length + overhead];
    byte[] b = new byte[a.length];
    byte[] opened = new byte[plain.length];
    for (int i = 0; i < tags.length; i++) {
      int n = plain.length - 100 * i;
      java.push(plain, 0, n, tags[i], a, 0);
      sodium.push(plain, 0, n, tags[i], b, 0);
      if (!Arrays.equals(a, 0, n + overhead, b, 0, n + overhead)
          || sodiumPull.pull(a, 0, n + overhead, opened, 0) != tags[i]
          || !Arrays.equals(opened, 0, n, plain, 0, n)
          || javaPull.pull(b, 0, n + overhead, opened, 0) != tags[i]) {
        return false;
      }
    }
    return true;
  }
}
