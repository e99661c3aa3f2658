package io.haven.archive;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SecretStream} through libsodium's own crypto_secretstream_xchacha20poly1305_push/pull
 * (libsodium23, bound through JNA's direct mapping): its vectorised ChaCha20 and Poly1305 take a
 * quarter of the Java implementation's CPU time (1.0 against 4.6 s per GiB each way on an EPYC,
 * copies included). The stream's 52-byte state lives here and is copied into native memory
 * around each call, with the chunk, so a chunk needs no allocation and the native buffers are
 * shared: there are as many as chunks being sealed or opened at once.
 */
final class SodiumSecretStream implements SecretStream {
  private static final Logger LOG = LoggerFactory.getLogger(SodiumSecretStream.class);

  /** {k[32], nonce[12], _pad[8]} in libsodium 1.0.x; checked against the library on load. */
  private static final int STATE_BYTES = 52;

  /** Whether libsodium was loaded and gives the Java implementation's bytes; said once if not. */
  static final boolean AVAILABLE = load();

  /**
   * libsodium 1.0.18's declarations. Every length is {@code unsigned long long}, 64 bits on
   * 32-bit ARM too, so a Java long; only statebytes returns a size_t (a C long on Linux).
   */
  private static final class Lib {
    private Lib() {}

    static native int sodium_init();

    static native NativeLong crypto_secretstream_xchacha20poly1305_statebytes();

    static native int crypto_secretstream_xchacha20poly1305_init_pull(
        Pointer state, Pointer header, Pointer key);

    static native int crypto_secretstream_xchacha20poly1305_push(Pointer state, Pointer c,
        Pointer clenP, Pointer m, long mlen, Pointer ad, long adlen, byte tag);

    static native int crypto_secretstream_xchacha20poly1305_pull(Pointer state, Pointer m,
        Pointer mlenP, Pointer tagP, Pointer c, long clen, Pointer ad, long adlen);
  }

  /** Native memory for one call: the state, the tag pull reads, a sealed and a plain chunk. */
  private static final class Scratch {
    private static final int TAG_AT = 64;
    private static final int SEALED_AT = 128;
    private static final int PLAIN_AT = SEALED_AT + MAX_CHUNK + OVERHEAD;
    private static final ConcurrentLinkedQueue<Scratch> FREE = new ConcurrentLinkedQueue<>();

    final ByteBuffer memory = ByteBuffer.allocateDirect(PLAIN_AT + MAX_CHUNK);
    final Pointer state = Native.getDirectBufferPointer(memory);
    final Pointer tag = state.share(TAG_AT);
    final Pointer sealed = state.share(SEALED_AT);
    final Pointer plain = state.share(PLAIN_AT);

    static Scratch take() {
      Scratch s = FREE.poll();
      return s != null ? s : new Scratch();
    }

    void give() {
      FREE.offer(this);
    }
  }

  private final byte[] state = new byte[STATE_BYTES];

  SodiumSecretStream(byte[] fileKey, byte[] header) {
    Scratch s = Scratch.take();
    try {
      s.memory.put(Scratch.SEALED_AT, header, 0, HEADER_BYTES);
      s.memory.put(Scratch.PLAIN_AT, fileKey, 0, 32);
      // init_pull makes the state init_push would from this header: it only reads the header.
      Lib.crypto_secretstream_xchacha20poly1305_init_pull(s.state, s.sealed, s.plain);
      s.memory.put(Scratch.PLAIN_AT, new byte[32]);
      s.memory.get(0, state);
    } finally {
      s.give();
    }
  }

  @Override
  public void push(byte[] in, int inOff, int len, byte tag, byte[] out, int outOff) {
    if (len < 0 || len > MAX_CHUNK) {
      throw new IllegalArgumentException("a chunk holds 0 to " + MAX_CHUNK + " bytes, not " + len);
    }
    Scratch s = Scratch.take();
    try {
      s.memory.put(0, state);
      s.memory.put(Scratch.PLAIN_AT, in, inOff, len);
      Lib.crypto_secretstream_xchacha20poly1305_push(
          s.state, s.sealed, null, s.plain, len, null, 0, tag);
      s.memory.get(Scratch.SEALED_AT, out, outOff, len + OVERHEAD);
      s.memory.get(0, state);
    } finally {
      s.give();
    }
  }

  @Override
  public int pull(byte[] in, int inOff, int len, byte[] out, int outOff) {
    if (len < OVERHEAD || len > MAX_CHUNK + OVERHEAD) {
      throw new IllegalArgumentException(
          "a sealed chunk holds " + OVERHEAD + " to " + (MAX_CHUNK + OVERHEAD) + " bytes, not " + len);
    }
    Scratch s = Scratch.take();
    try {
      s.memory.put(0, state);
      s.memory.put(Scratch.SEALED_AT, in, inOff, len);
      if (Lib.crypto_secretstream_xchacha20poly1305_pull(
          s.state, s.plain, null, s.tag, s.sealed, len, null, 0) != 0) {
        return FORGED; // libsodium leaves the state as it was
      }
      s.memory.get(Scratch.PLAIN_AT, out, outOff, len - OVERHEAD);
      s.memory.get(0, state);
      return s.memory.get(Scratch.TAG_AT) & 0xff;
    } finally {
      s.give();
    }
  }

  private static boolean load() {
    String problem;
    try {
      Native.register(Lib.class, library());
      if (Lib.sodium_init() < 0) {
        problem = "libsodium did not start";
      } else if (Lib.crypto_secretstream_xchacha20poly1305_statebytes().longValue()
          != STATE_BYTES) {
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
   * with another ABI than these declarations would not give the same bytes.
   */
  private static boolean sameAsJava() {
    byte[] key = new byte[32];
    byte[] header = new byte[HEADER_BYTES];
    Arrays.fill(key, (byte) 7);
    Arrays.fill(header, (byte) 9);
    byte[] plain = new byte[1000];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) i;
    }
    byte[] tags = {TAG_MESSAGE, 0x02, TAG_FINAL};
    SecretStream java = new JavaSecretStream(key, header);
    SecretStream sodium = new SodiumSecretStream(key, header);
    SecretStream javaPull = new JavaSecretStream(key, header);
    SecretStream sodiumPull = new SodiumSecretStream(key, header);
    byte[] a = new byte[plain.length + OVERHEAD];
    byte[] b = new byte[a.length];
    byte[] opened = new byte[plain.length];
    for (int i = 0; i < tags.length; i++) {
      int n = plain.length - 100 * i;
      java.push(plain, 0, n, tags[i], a, 0);
      sodium.push(plain, 0, n, tags[i], b, 0);
      if (!Arrays.equals(a, 0, n + OVERHEAD, b, 0, n + OVERHEAD)
          || sodiumPull.pull(a, 0, n + OVERHEAD, opened, 0) != tags[i]
          || !Arrays.equals(opened, 0, n, plain, 0, n)
          || javaPull.pull(b, 0, n + OVERHEAD, opened, 0) != tags[i]) {
        return false;
      }
    }
    return true;
  }
}
