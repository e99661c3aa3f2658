package io.haven.restic;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import io.haven.archive.BackupSource;
import io.haven.archive.Part;
import io.haven.archive.PartInput;
import io.haven.archive.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A snapshot that {@link BackupCopy} made, read back as the backup it came from: its
 * backup.json, its parts, and each part's inner tar streamed from the repository in the layout
 * Home Assistant's archives have ({@code data/} below the part's own files, folders at the top).
 * Every blob's MAC and ID are checked as it is read, so a damaged pack fails the stream before
 * its end: a staged restore stops before it touches the data root.
 */
public final class SnapshotSource implements BackupSource {
  private final Repository repo;
  private final StoredSnapshot snapshot;
  private final BackupMetadata metadata;
  private final Restorer reader;

  private SnapshotSource(Repository repo, StoredSnapshot snapshot, BackupMetadata metadata) {
    this.repo = repo;
    this.snapshot = snapshot;
    this.metadata = metadata;
    this.reader = new Restorer(repo);
  }

  /** The backup a snapshot holds; fails for a snapshot that is not a Haven copy of a backup. */
  public static SnapshotSource of(Repository repo, StoredSnapshot snapshot)
      throws ArchiveException {
    String what = "snapshot " + snapshot.id().shortId() + " in " + repo.describe();
    if (snapshot.snapshot().havenBackup() == null) {
      throw new ArchiveException.Unsupported(what + " was not made from a backup (it has no"
          + " backup.json); restore it with restic itself.");
    }
    byte[] json = Json.write(snapshot.snapshot().havenBackup());
    return new SnapshotSource(repo, snapshot, BackupJson.read(new ByteArrayInputStream(json),
        what));
  }

  @Override
  public Optional<BackupMetadata> metadata() {
    return Optional.of(metadata);
  }

  @Override
  public List<Part> parts() {
    return metadata.parts();
  }

  @Override
  public long storedSize(Part part) throws IOException {
    return reader.size(directory(part).subtreeId());
  }

  @Override
  public boolean isEncrypted(Part part) {
    return false; // the repository's key already opened it
  }

  @Override
  public PartInput openPart(Part part, Optional<Secret> secret) throws IOException {
    Node dir = directory(part);
    Optional<Node> own = reader.directory(snapshot.snapshot().treeId(),
        BackupCopy.BACKUP_DIR + "/" + part.memberBase());
    InputStream tar = TarPipe.start("haven-snapshot-tar", out -> writePart(part, dir, own, out));
    return PartInput.bare(part, describe() + ", part '" + part + "'", tar);
  }

  private void writePart(Part part, Node dir, Optional<Node> own, OutputStream out)
      throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      if (part.kind() == Part.Kind.FOLDER) {
        reader.writeEntry(dir, ".", tar);
        return;
      }
      if (own.isPresent()) {
        reader.writeTar(own.get().subtreeId(), "", tar);
      }
      reader.writeEntry(dir, "data", tar);
    }
  }

  // Where BackupCopy put the part in the data root's layout.
  private Node directory(Part part) throws IOException {
    String path = BackupCopy.path(part);
    return reader.directory(snapshot.snapshot().treeId(), path).orElseThrow(() ->
        new ArchiveException.Corrupt(describe() + ": part '" + part + "' is named in"
            + " backup.json but the snapshot has no directory '" + path + "'. Run verify."));
  }

  @Override
  public String describe() {
    return "backup '" + metadata.slug() + "' (snapshot " + snapshot.id().shortId() + " in "
        + repo.describe() + ")";
  }
}
