package io.haven.restic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.haven.archive.ArchiveException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A file under {@code keys/}: scrypt parameters and the master key, encrypted with the key that
 * scrypt derives from the password. The file is plain JSON; its name is its SHA-256.
 */
record KeyFile(
    String created,
    String username,
    String hostname,
    String kdf,
    @JsonProperty("N") int n,
    int r,
    int p,
    String salt,
    String data) {

  /** restic 0.14's parameters on a small machine: 32 MiB of memory for scrypt, once an open. */
  static final int N = 32768;
  static final int R = 8;
  static final int P = 5;
  private static final int MAX_N = 1 << 20;

  record Mac(String k, String r) {}

  /** The master key in the key file's JSON: base64 of each part. */
  record Master(Mac mac, String encrypt) {
    static Master of(MasterKey key) {
      var b64 = Base64.getEncoder();
      return new Master(new Mac(b64.encodeToString(key.macK()), b64.encodeToString(key.macR())),
          b64.encodeToString(key.encrypt()));
    }

    /** @throws IllegalArgumentException if a part is not base64 or not of its length */
    MasterKey key() {
      var b64 = Base64.getDecoder();
      return new MasterKey(b64.decode(encrypt), b64.decode(mac.k()), b64.decode(mac.r()));
    }
  }

  static KeyFile create(MasterKey master, byte[] password, String user, String host) {
    byte[] salt = Crypto.random(64);
    Crypto kek = new Crypto(MasterKey.fromKdf(SCrypt.generate(password, salt, N, R, P, 64)));
    byte[] json = Json.write(Master.of(master));
    var b64 = Base64.getEncoder();
    return new KeyFile(Instant.now().toString(), user, host, "scrypt", N, R, P,
        b64.encodeToString(salt), b64.encodeToString(kek.seal(json)));
  }

  /** The master key, or empty when the password is not this key's. */
  java.util.Optional<MasterKey> open(byte[] password, String name) throws ArchiveException {
    if (!"scrypt".equals(kdf)) {
      throw new ArchiveException.Unsupported("Key " + name + " uses key derivation '" + kdf
          + "'; restic and Haven use scrypt.");
    }
    if (n < 2 || n > MAX_N || Integer.bitCount(n) != 1 || r < 1 || r > 32 || p < 1 || p > 16) {
      throw new ArchiveException.Corrupt("Key " + name + " has scrypt parameters N=" + n + " r="
          + r + " p=" + p + " that restic never writes.");
    }
    var b64 = Base64.getDecoder();
    byte[] sealed;
    try {
      sealed = b64.decode(data);
      Crypto kek = new Crypto(MasterKey.fromKdf(
          SCrypt.generate(password, b64.decode(salt), n, r, p, 64)));
      if (!kek.authentic(sealed)) {
        return java.util.Optional.empty();
      }
      Master m = Json.read(kek.open(sealed, "key " + name), Master.class, "key " + name);
      return java.util.Optional.of(m.key());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ArchiveException.Corrupt("Key " + name + " is damaged: " + e.getMessage(), e);
    }
  }

  static byte[] password(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }
}
