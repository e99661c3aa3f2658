package io.haven.store;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import io.haven.archive.CountingOutputStream;
import io.haven.archive.Protector;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.location.ArchiveInfo;
import io.haven.location.Location;
import io.haven.location.Names;
import io.haven.location.ResumableSource;
import io.haven.location.ResumeRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Copies of the backup directory's archives in other locations, under the same file name.
 *
 * <p>A copy streams the local file straight into {@link Location#write} (no second local copy)
 * and is then <b>verified by reading the whole object back and comparing its SHA-256</b> with the
 * bytes sent, plus its size by stat. None of the protocols offers one checksum every server
 * computes the same way (S3 ETags differ for multipart uploads; SFTP, WebDAV and SMB have none), so
 * reading back is the one check that means the same everywhere. A copy that does not match is
 * deleted and reported. An object of the same name and size whose SHA-256 was verified before is
 * not sent again, so a failed run can simply be repeated. Where the location can resume
 * ({@code Capabilities.resumable()}), a copy the network cut off continues on the next run from
 * what the server already holds, remembered in {@value #RESUME_FILE} in the backup directory.
 *
 * <p>Pass a {@code io.haven.location.RetryingLocation}: the upload and read-back callbacks start
 * from the beginning each time they are called.
 */
public final class OffsiteCopies {
  private static final List<String> METADATA_NAMES = List.of("backup.json", "snapshot.json");

  static final String RESUME_FILE = ".haven-resume.json";

  private final BackupStore store;
  private final RemoteCatalog catalog;
  private final ResumeRecords resumes;

  public OffsiteCopies(BackupStore store, RemoteCatalog catalog) {
    this.catalog = catalog;
    this.store = store;
    this.resumes = ResumeRecords.in(store.dir().resolve(RESUME_FILE));
  }

  /** A verified copy: its name, size and SHA-256, and whether it was there already. */
  public record Copy(String location, String name, long size, String sha256,
      boolean alreadyThere) {}

  /**
   * A backup held by a location. {@code verified}: Haven sent this object and read it back with
   * the SHA-256 of what it sent, so it is a true copy of the local file it came from.
   */
  public record RemoteBackup(String name, long size, BackupMetadata metadata, boolean verified) {
    public String slug() {
      return metadata.slug();
    }
  }

  /** A location's backups, newest first, and the objects that could not be read as backups. */
  public record RemoteListing(List<RemoteBackup> backups, List<String> unreadable) {}

  /** Copies {@code backup} to {@code location} (named {@code locationName}) and verifies it. */
  public Copy copy(StoredBackup backup, String locationName, Location location)
      throws IOException {
    String name = Names.check(backup.file().getFileName().toString());
    Optional<ArchiveInfo> there = location.stat(name);
    if (there.isPresent() && there.get().size() == backup.size()) {
      Optional<Copy> done = alreadyVerified(backup, locationName, location, name);
      if (done.isPresent()) {
        return done.get();
      }
    }
    LocalFile source = new LocalFile(backup.file(), backup.size());
    location.write(name, source, resumes);
    String read = verify(location, name, backup.size(), source.sha256());
    catalog.put(locationName, name,
        new RemoteCatalog.Entry(backup.size(), backup.metadata(), Optional.of(read)));
    return new Copy(locationName, name, backup.size(), read, false);
  }

  /**
   * Copies {@code backup} (not protected) to {@code location} encrypted on its way out with
   * {@code password} in SecureTar {@code version} (see {@link Protector}), then verifies it by
   * reading it back as {@link #copy} does. Nothing is staged: the encrypted archive exists only at
   * the location. An object of that name Haven sent encrypted and verified before, for this
   * backup, is not sent again.
   */
  public Copy copyProtected(StoredBackup backup, String locationName, Location location,
      SecureTar.Version version, Secret.Password password, Instant now) throws IOException {
    String name = Names.check(backup.file().getFileName().toString());
    Optional<ArchiveInfo> there = location.stat(name);
    if (there.isPresent()) {
      Optional<RemoteCatalog.Entry> known = catalog.get(locationName, name, there.get().size())
          .filter(e -> e.sha256().isPresent() && e.metadata().isProtected()
              && e.metadata().slug().equals(backup.slug()));
      if (known.isPresent()) {
        return new Copy(locationName, name, there.get().size(), known.get().sha256().get(),
            true);
      }
    }
    Sent sent = new Sent();
    try (BackupArchive archive = BackupArchive.open(backup.file())) {
      // A retried write calls this again from the start; each call encrypts afresh.
      location.write(name, out -> {
        MessageDigest digest = Digests.sha256();
        CountingOutputStream counted = new CountingOutputStream(
            new DigestOutputStream(out, digest));
        sent.metadata = Protector.protect(archive, version, password, counted, now);
        sent.size = counted.count();
        sent.sha256 = HexFormat.of().formatHex(digest.digest());
      });
    }
    String read = verify(location, name, sent.size, sent.sha256);
    catalog.put(locationName, name,
        new RemoteCatalog.Entry(sent.size, sent.metadata, Optional.of(read)));
    return new Copy(locationName, name, sent.size, read, false);
  }

  /** What the last call of an encrypting write sent. */
  private static final class Sent {
    BackupMetadata metadata;
    long size;
    String sha256;
  }

  // Same name and size: trust an earlier verification, else read it back once instead of sending.
  private Optional<Copy> alreadyVerified(StoredBackup backup, String locationName,
      Location location, String name) throws IOException {
    String local = Digests.of(backup.file());
    Optional<String> known = catalog.get(locationName, name, backup.size())
        .flatMap(RemoteCatalog.Entry::sha256);
    if (known.isPresent() && known.get().equals(local)) {
      return Optional.of(new Copy(locationName, name, backup.size(), local, true));
    }
    String remote = location.read(name, Digests::of);
    if (!remote.equals(local)) {
      return Optional.empty();
    }
    catalog.put(locationName, name,
        new RemoteCatalog.Entry(backup.size(), backup.metadata(), Optional.of(remote)));
    return Optional.of(new Copy(locationName, name, backup.size(), remote, true));
  }

  /**
   * The local archive as a Location sends it. Its SHA-256 is taken on the way when the whole file
   * is read in one pass; after a resumed upload, which reads only the rest, it is read once more.
   */
  private static final class LocalFile implements ResumableSource {
    private final Path file;
    private final long size;
    private String sha256;

    LocalFile(Path file, long size) {
      this.file = file;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public String fingerprint() {
      try {
        return Files.getLastModifiedTime(file).toString();
      } catch (IOException e) {
        return "unknown"; // reading the file fails next, with its own message
      }
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      if (offset > 0) {
        return in;
      }
      MessageDigest digest = Digests.sha256();
      return new DigestInputStream(in, digest) {
        private boolean ended;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n < 0 && !ended) {
            ended = true; // a reader may ask again after the end; the digest is taken once
            sha256 = HexFormat.of().formatHex(digest.digest());
          }
          return n;
        }
      };
    }

    String sha256() throws IOException {
      return sha256 != null ? sha256 : Digests.of(file);
    }
  }

  private String verify(Location location, String name, long size, String sent)
      throws IOException {
    long stored = location.stat(name).map(ArchiveInfo::size).orElse(-1L);
    String read = stored == size ? location.read(name, Digests::of) : "";
    if (stored != size || !read.equals(sent)) {
      location.delete(name);
      throw new StoreException.CopyMismatch("The copy of '" + name + "' on "
          + location.describe() + " did not match what was sent (" + describeMismatch(stored,
              size, read, sent) + "), so it was deleted. Run the copy again; if it fails again,"
          + " check the location's storage.");
    }
    return read;
  }

  private static String describeMismatch(long stored, long size, String read, String sent) {
    return stored != size ? "size " + stored + " != " + size
        : "SHA-256 " + read + " != " + sent;
  }

  /**
   * The backups {@code location} holds. backup.json of an archive not seen before (by name and
   * size) is read by streaming the archive's tar headers up to it, skipping the parts' bytes
   * without keeping them; Haven and Home Assistant write it last, so such a first listing reads
   * the whole archive once. Copies Haven made itself are known from the moment they were sent.
   */
  public RemoteListing list(String locationName, Location location) throws IOException {
    List<RemoteBackup> backups = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (ArchiveInfo info : location.list()) {
      if (!info.name().endsWith(".tar")) {
        continue;
      }
      try {
        RemoteCatalog.Entry entry = entry(locationName, location, info);
        backups.add(new RemoteBackup(info.name(), info.size(), entry.metadata(),
            entry.sha256().isPresent()));
      } catch (ArchiveException e) {
        unreadable.add(info.name() + ": " + e.getMessage());
      }
    }
    backups.sort(Comparator.comparing((RemoteBackup b) -> b.metadata().date()).reversed());
    return new RemoteListing(List.copyOf(backups), List.copyOf(unreadable));
  }

  private RemoteCatalog.Entry entry(String locationName, Location location, ArchiveInfo info)
      throws IOException {
    Optional<RemoteCatalog.Entry> known = catalog.get(locationName, info.name(), info.size());
    if (known.isPresent()) {
      return known.get();
    }
    BackupMetadata metadata = location.read(info.name(), in -> readMetadata(in, info.name()));
    RemoteCatalog.Entry entry = new RemoteCatalog.Entry(info.size(), metadata, Optional.empty());
    catalog.put(locationName, info.name(), entry);
    return entry;
  }

  private static BackupMetadata readMetadata(InputStream in, String name) throws IOException {
    String what = "'" + name + "'";
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
      String entry = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
      if (e.isFile() && METADATA_NAMES.contains(entry)) {
        return BackupJson.read(tar, what);
      }
    }
    throw new ArchiveException.Corrupt(what + " has no backup.json: not a backup");
  }

  /** The backup with {@code slug} in the location. */
  public RemoteBackup find(String locationName, Location location, String slug)
      throws IOException {
    return list(locationName, location).backups().stream()
        .filter(b -> b.slug().equals(slug)).findFirst()
        .orElseThrow(() -> new StoreException.NotFound("No backup '" + slug + "' on "
            + location.describe() + ". Run 'haven backups list --location " + locationName
            + "' to see the slugs."));
  }

  /** Deletes the backup with {@code slug} from the location. */
  public void remove(String locationName, Location location, String slug) throws IOException {
    RemoteBackup b = find(locationName, location, slug);
    location.delete(b.name());
    catalog.forget(locationName, b.name());
  }

  /**
   * The backup with {@code slug} as a file on this machine, when the location keeps its objects
   * as local files ({@link Location#localPath}): a restore reads it there instead of downloading
   * it. Its backup.json is read to make sure it still is that backup. Empty for a remote location.
   */
  public Optional<Path> localFile(String locationName, Location location, String slug)
      throws IOException {
    RemoteBackup remote = find(locationName, location, slug);
    Optional<Path> file = location.localPath(remote.name());
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (BackupArchive archive = BackupArchive.open(file.get())) {
      if (!archive.metadata().map(m -> m.slug().equals(slug)).orElse(false)) {
        throw new StoreException.CopyMismatch("'" + remote.name() + "' on "
            + location.describe() + " is no longer backup '" + slug + "'. Run 'haven backups"
            + " list --location " + locationName + "' to see what it holds now.");
      }
    }
    return file;
  }

  /**
   * Brings the backup with {@code slug} into the backup directory: downloaded under a temporary
   * name, checked (size, the SHA-256 of a verified copy when known, backup.json's slug, and every
   * part read through when it is unprotected or {@code secret} is given), then renamed. If the
   * directory already holds that backup with the same size, nothing is downloaded.
   */
  public StoredBackup download(String locationName, Location location, String slug,
      Optional<Secret> secret) throws IOException {
    RemoteBackup remote = find(locationName, location, slug);
    Optional<StoredBackup> local = store.find(slug);
    if (local.isPresent() && local.get().size() == remote.size()) {
      return local.get();
    }
    try (PendingArchive pending = store.begin(remote.name(), slug)) {
      String got = location.read(remote.name(), in -> save(in, pending.path()));
      checkDownload(locationName, location, remote, pending.path(), got, secret);
      pending.commit();
    }
    return store.get(slug);
  }

  // Truncates first: a retried read starts the file over.
  private static String save(InputStream in, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
        PendingArchive.OWNER_ONLY)) {
      String sha = Digests.copy(in, Channels.newOutputStream(ch));
      ch.force(true);
      return sha;
    }
  }

  private void checkDownload(String locationName, Location location, RemoteBackup remote,
      Path file, String got, Optional<Secret> secret) throws IOException {
    String what = "The download of '" + remote.name() + "' from " + location.describe();
    if (Files.size(file) != remote.size()) {
      throw new StoreException.CopyMismatch(what + " has " + Files.size(file)
          + " bytes, not " + remote.size() + "; nothing was kept. Try again.");
    }
    Optional<String> known = catalog.get(locationName, remote.name(), remote.size())
        .flatMap(RemoteCatalog.Entry::sha256);
    if (known.isPresent() && !known.get().equals(got)) {
      throw new StoreException.CopyMismatch(what + " has SHA-256 " + got + ", but the copy"
          + " sent there had " + known.get() + "; nothing was kept. The remote copy is damaged:"
          + " use another copy.");
    }
    try (BackupArchive archive = BackupArchive.open(file)) {
      if (!archive.metadata().map(m -> m.slug().equals(remote.slug())).orElse(false)) {
        throw new StoreException.CopyMismatch(what + " is not backup '" + remote.slug()
            + "'; nothing was kept.");
      }
      if (secret.isPresent() || !archive.metadata().get().isProtected()) {
        Verifier.Report report = Verifier.verify(archive, secret);
        if (report.firstProblem().isPresent()) {
          throw report.firstProblem().get();
        }
      }
    }
  }
}
