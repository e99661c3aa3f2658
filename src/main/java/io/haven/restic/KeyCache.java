package io.haven.restic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One repository's master key, kept unlocked on this device so that an open need not run scrypt
 * (about a second and 5 x 32 MiB each time). The file is 0600 in a 0700 directory beside the
 * stored passwords: whoever may read it may read the password too. It is a hint, never trusted
 * alone: it names the key file it came from, which must still be listed, holds an HMAC-SHA256 of
 * the password keyed by the master key, which must match the password given, and the repository's
 * config must pass its MAC under the key. Any mismatch or damage means scrypt, as without it.
 */
final class KeyCache {
  /** No cache: every open runs scrypt. */
  static final KeyCache NONE = new KeyCache(Optional.empty());
  /** An entry is a few hundred bytes; a bigger file is not one. */
  private static final long MAX_BYTES = 4096;

  /** The file's content: the key file's name, restic's own form of the key, the verifier. */
  record Entry(String key, KeyFile.Master master, String verifier) {}

  /** What an entry gives once it matched the password: a key file's name and its master key. */
  record Cached(String key, MasterKey master) {}

  private final Optional<Path> file;

  private KeyCache(Optional<Path> file) {
    this.file = file;
  }

  /** The entry in {@code dir} of the repository at {@code url}. */
  static KeyCache of(Path dir, String url) {
    return new KeyCache(Optional.of(dir.resolve(Id.hash(url.getBytes(StandardCharsets.UTF_8))
        + ".json")));
  }

  /** The cached key, when there is an intact entry made with {@code password}. */
  Optional<Cached> find(byte[] password) {
    if (file.isEmpty() || !Files.isRegularFile(file.get())) {
      return Optional.empty();
    }
    try {
      if (Files.size(file.get()) > MAX_BYTES) {
        return Optional.empty();
      }
      Entry e = Json.read(Files.readAllBytes(file.get()), Entry.class, "cached key");
      MasterKey master = e.master().key();
      boolean same = MessageDigest.isEqual(Base64.getDecoder().decode(e.verifier()),
          verifier(master, password));
      return same ? Optional.of(new Cached(e.key(), master)) : Optional.empty();
    } catch (IOException | RuntimeException damaged) {
      return Optional.empty(); // scrypt finds the key again and the entry is rewritten
    }
  }

  /**
   * Keeps {@code master}, opened from key file {@code key} with {@code password}: written 0600
   * under a temporary name, forced to disk and renamed, so a crash leaves the old entry or the new.
   */
  void store(String key, MasterKey master, byte[] password) throws IOException {
    if (file.isEmpty()) {
      return;
    }
    byte[] json = Json.write(new Entry(key, KeyFile.Master.of(master),
        Base64.getEncoder().encodeToString(verifier(master, password))));
    Path dir = file.get().getParent();
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path temp = temporary();
    try {
      try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buf = ByteBuffer.wrap(json);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(temp, file.get(), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  // One temporary name an entry, so that one a kill left behind is replaced or forgotten with it.
  private Path temporary() {
    return file.get().resolveSibling("." + file.get().getFileName() + ".haven-tmp");
  }

  /** Drops the entry, if there is one. */
  void forget() throws IOException {
    if (file.isPresent()) {
      Files.deleteIfExists(file.get());
      Files.deleteIfExists(temporary());
    }
  }

  // HMAC-SHA256 of the password under the whole master key: only the right password matches.
  private static byte[] verifier(MasterKey master, byte[] password) {
    byte[] key = ByteBuffer.allocate(64).put(master.encrypt()).put(master.macK())
        .put(master.macR()).array();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(password);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java", e);
    }
  }
}
