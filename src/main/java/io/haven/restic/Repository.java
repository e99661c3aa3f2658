package io.haven.restic;

import com.github.luben.zstd.ZstdInputStream;
import io.haven.archive.ArchiveException;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An open restic repository: its config, master key and the index of every blob. Reads blobs,
 * trees and snapshots; {@link #newSnapshot} writes new ones. Not safe for several threads.
 */
public final class Repository implements Closeable {
  private final Storage storage;
  private final Crypto crypto;
  private final Config config;
  private final Path spool;
  private final Unlock unlock;
  private BlobIndex index;

  /** How an open came by the master key. */
  enum Unlock {
    /** scrypt on the password opened a key file (or init made one). */
    PASSWORD,
    /** This device's {@link KeyCache} held it, and the config's MAC confirmed it. */
    CACHED_KEY
  }

  private Repository(Storage storage, Crypto crypto, Config config, Path spool, Unlock unlock) {
    this.storage = storage;
    this.crypto = crypto;
    this.config = config;
    this.spool = spool;
    this.unlock = unlock;
  }

  /**
   * Makes a new, empty repository in {@code storage}, as {@code restic init --repository-version
   * 2} does.
   *
   * @param spool a local directory for packs being written and the index's files
   */
  public static Repository init(Storage storage, String password, Path spool) throws IOException {
    return init(storage, password, spool, KeyCache.NONE);
  }

  /** As {@link #init(Storage, String, Path)}, keeping the new master key in {@code cache}. */
  static Repository init(Storage storage, String password, Path spool, KeyCache cache)
      throws IOException {
    if (storage.exists("config")) {
      throw new ArchiveException.Unsupported("There is already a repository at "
          + storage.describe() + "; open it instead of making a new one.");
    }
    MasterKey master = MasterKey.random();
    Crypto crypto = new Crypto(master);
    Config config = Config.create();
    storage.createLayout();
    byte[] pw = KeyFile.password(password);
    byte[] key = Json.write(KeyFile.create(master, pw, user(), host()));
    String keyName = "keys/" + Id.hash(key);
    storage.put(keyName, key);
    storage.put("config", crypto.seal(Json.write(config)));
    Repository repo = new Repository(storage, crypto, config, spool, Unlock.PASSWORD);
    repo.index = new BlobIndex(spool);
    keep(cache, keyName, master, pw);
    return repo;
  }

  /**
   * Opens the repository with {@code password}: tries each key file, reads the config and loads
   * the index.
   *
   * @throws ArchiveException.WrongPassword if no key file opens with the password
   */
  public static Repository open(Storage storage, String password, Path spool) throws IOException {
    return open(storage, password, spool, KeyCache.NONE);
  }

  /**
   * As {@link #open(Storage, String, Path)}, with the master key from {@code cache} when its
   * entry matches the password, its key file is still listed and the config's MAC passes under
   * it; otherwise by scrypt, and the key found is kept in {@code cache}.
   */
  static Repository open(Storage storage, String password, Path spool, KeyCache cache)
      throws IOException {
    byte[] pw = KeyFile.password(password);
    List<Storage.Entry> keys = storage.list("keys");
    if (keys.isEmpty() || !storage.exists("config")) {
      throw new ArchiveException.Corrupt("There is no restic repository at "
          + storage.describe() + " (no config or no keys). Check the address.");
    }
    byte[] sealedConfig = storage.get("config");
    Optional<KeyCache.Cached> cached = cache.find(pw)
        .filter(c -> keys.stream().anyMatch(k -> k.name().equals(c.key())));
    if (cached.isPresent() && new Crypto(cached.get().master()).authentic(sealedConfig)) {
      return opened(storage, cached.get().master(), sealedConfig, spool, Unlock.CACHED_KEY);
    }
    for (Storage.Entry k : keys) {
      KeyFile file = Json.read(storage.get(k.name()), KeyFile.class, k.name());
      Optional<MasterKey> master = file.open(pw, k.name());
      if (master.isPresent()) {
        Repository repo = opened(storage, master.get(), sealedConfig, spool, Unlock.PASSWORD);
        keep(cache, k.name(), master.get(), pw);
        return repo;
      }
    }
    throw new ArchiveException.WrongPassword("Wrong password for the repository at "
        + storage.describe() + ". Check the password; the repository is unchanged.");
  }

  private static Repository opened(Storage storage, MasterKey master, byte[] sealedConfig,
      Path spool, Unlock unlock) throws IOException {
    Crypto crypto = new Crypto(master);
    Config config = Json.read(crypto.open(sealedConfig, "config"), Config.class, "config");
    if (config.version() != 1 && config.version() != 2) {
      throw new ArchiveException.Unsupported("The repository at " + storage.describe()
          + " has format version " + config.version() + "; Haven reads versions 1 and 2.");
    }
    Repository repo = new Repository(storage, crypto, config, spool, unlock);
    repo.loadIndex();
    return repo;
  }

  // A cache that cannot be written costs the next open its scrypt, nothing more.
  private static void keep(KeyCache cache, String keyName, MasterKey master, byte[] password) {
    try {
      cache.store(keyName, master, password);
    } catch (IOException e) {
      // the repository is open either way
    }
  }

  /** How this open came by the master key. */
  Unlock unlock() {
    return unlock;
  }

  Storage storage() {
    return storage;
  }

  Crypto crypto() {
    return crypto;
  }

  Config config() {
    return config;
  }

  Path spool() {
    return spool;
  }

  BlobIndex index() {
    return index;
  }

  /** Reads every index file into a fresh {@link BlobIndex}. */
  void loadIndex() throws IOException {
    if (index != null) {
      index.close();
    }
    index = new BlobIndex(spool);
    for (Storage.Entry e : storage.list("index")) {
      readIndexFile(e.name(), (pack, blobs) -> {
        int n = index.addPack(pack);
        for (BlobEntry b : blobs) {
          index.add(b, n);
        }
      });
    }
  }

  List<Id> readIndexFile(String name, IndexJson.PackVisitor visitor) throws IOException {
    byte[] plain = crypto.open(storage.get(name), name);
    if (plain.length > 0 && plain[0] == 2) {
      try (var in = new ZstdInputStream(new ByteArrayInputStream(plain, 1, plain.length - 1))) {
        return IndexJson.read(in, name, visitor);
      }
    }
    return IndexJson.read(new ByteArrayInputStream(Json.decompress(plain, name)), name, visitor);
  }

  /** Encrypts (and, in version 2, compresses) a JSON file and stores it under its ID. */
  Id saveUnpacked(String dir, byte[] json) throws IOException {
    byte[] sealed = crypto.seal(config.version() >= 2 ? Json.compress(json) : json);
    Id id = Id.hash(sealed);
    storage.put(dir + "/" + id, sealed);
    return id;
  }

  /** The JSON of an index, snapshot or lock file, checked against its name. */
  byte[] loadUnpacked(String name) throws IOException {
    byte[] sealed = storage.get(name);
    String expected = name.substring(name.lastIndexOf('/') + 1);
    if (!Id.hash(sealed).toString().equals(expected)) {
      throw new ArchiveException.Corrupt(name + " in " + storage.describe()
          + " does not match its name: the file is damaged. Run verify.");
    }
    return Json.decompress(crypto.open(sealed, name), name);
  }

  static String packName(Id pack) {
    String hex = pack.toString();
    return "data/" + hex.substring(0, 2) + "/" + hex;
  }

  /** The plaintext of a blob, checked against its ID. */
  byte[] readBlob(Id id, BlobType type) throws IOException {
    BlobEntry e = index.find(id, type).orElseThrow(() -> new ArchiveException.Corrupt(
        "The repository at " + storage.describe() + " has no " + type.json() + " blob " + id
            + ". Run verify."));
    return readBlob(e);
  }

  byte[] readBlob(BlobEntry e) throws IOException {
    byte[] sealed = storage.read(packName(e.pack()), e.offset(), e.length());
    return decodeBlob(e, sealed, 0);
  }

  /**
   * The plaintext of the sealed blob at {@code buf[at]}, checked against its ID. Decrypts in
   * place: the sealed bytes are gone from {@code buf} afterwards.
   */
  byte[] decodeBlob(BlobEntry e, byte[] buf, int at) throws IOException {
    String what = e.type().json() + " blob " + e.id().shortId() + " in pack "
        + e.pack().shortId();
    int n = crypto.openInPlace(buf, at, e.length(), what);
    byte[] plain = e.compressed()
        ? Blobs.unzstd(buf, at + Crypto.IV, n, e.rawLength(), what)
        : java.util.Arrays.copyOfRange(buf, at + Crypto.IV, at + Crypto.IV + n);
    if (!Id.hash(plain).equals(e.id())) {
      throw new ArchiveException.Corrupt(what + " does not match its ID: the pack is damaged."
          + " Run verify.");
    }
    return plain;
  }

  Tree readTree(Id id) throws IOException {
    return Tree.decode(readBlob(id, BlobType.TREE), id);
  }

  /** A pack's blobs as its own header lists them. */
  List<BlobEntry> packHeader(Id pack, long size) throws IOException {
    String name = packName(pack);
    if (size < 4 + Crypto.OVERHEAD) {
      throw new ArchiveException.Corrupt("Pack " + pack + " is too short (" + size + " bytes).");
    }
    int hlen = ByteBuffer.wrap(storage.read(name, size - 4, 4)).order(ByteOrder.LITTLE_ENDIAN)
        .getInt();
    if (hlen < Crypto.OVERHEAD || hlen > size - 4 || hlen > PackFormat.MAX_HEADER) {
      throw new ArchiveException.Corrupt("Pack " + pack + " states a header of " + hlen
          + " bytes, impossible in a pack of " + size + ".");
    }
    byte[] header = crypto.open(storage.read(name, size - 4 - hlen, hlen), 0, hlen,
        "header of pack " + pack.shortId());
    return PackFormat.parse(header, pack);
  }

  /** The repository's snapshots, oldest first. */
  public List<StoredSnapshot> snapshots() throws IOException {
    List<StoredSnapshot> out = new ArrayList<>();
    for (Storage.Entry e : storage.list("snapshots")) {
      Id id = Id.parse(e.name().substring(e.name().lastIndexOf('/') + 1));
      out.add(new StoredSnapshot(id, Json.read(loadUnpacked(e.name()), Snapshot.class,
          e.name())));
    }
    out.sort(java.util.Comparator.comparing(s -> s.snapshot().instant()));
    return out;
  }

  /** Starts a new snapshot; nothing is visible until {@link SnapshotWriter#commit}. */
  public SnapshotWriter newSnapshot() throws IOException {
    return new SnapshotWriter(this);
  }

  static String user() {
    return System.getProperty("user.name", "haven");
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The repository's location, for messages. */
  public String describe() {
    return storage.describe();
  }

  @Override
  public void close() throws IOException {
    if (index != null) {
      index.close();
    }
  }
}
