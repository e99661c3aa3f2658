package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads a snapshot's tree back: into a directory (files, directories and symbolic links with
 * their permission bits and modification times), or as a PAX tar stream of the same tree, for
 * a staged restore or an export. One blob is held at a time. Names are checked: a tree that
 * names "..", a '/' or an empty name is refused as unsafe.
 */
public final class Restorer {
  private final Repository repo;

  public Restorer(Repository repo) {
    this.repo = repo;
  }

  /** The tree ID of the directory at {@code path} ("" for the root) in the snapshot. */
  public Id subtree(StoredSnapshot snapshot, String path) throws IOException {
    if (path.isEmpty()) {
      return snapshot.snapshot().treeId();
    }
    return directory(snapshot.snapshot().treeId(), path).map(n -> Id.parse(n.subtree()))
        .orElseThrow(() -> new ArchiveException.Corrupt("Snapshot " + snapshot.id().shortId()
            + " has no directory '" + path + "'."));
  }

  /** The directory at {@code path} ('/'-separated, not empty) below the tree {@code root}. */
  Optional<Node> directory(Id root, String path) throws IOException {
    Node found = null;
    Id tree = root;
    for (String name : path.split("/")) {
      found = null;
      for (Node n : repo.readTree(tree).nodes()) {
        if (n.name().equals(name) && n.subtree() != null) {
          found = n;
        }
      }
      if (found == null) {
        return Optional.empty();
      }
      tree = Id.parse(found.subtree());
    }
    return Optional.ofNullable(found);
  }

  /** Writes the tree {@code tree} below {@code target}, which must be an empty directory. */
  public long restoreTo(Id tree, Path target) throws IOException {
    Files.createDirectories(target);
    long[] count = {0};
    // Directory times are set last, deepest first: writing into a directory changes its mtime.
    Deque<Object[]> dirTimes = new ArrayDeque<>();
    restoreTree(tree, target, count, dirTimes);
    while (!dirTimes.isEmpty()) {
      Object[] d = dirTimes.pop();
      Files.setLastModifiedTime((Path) d[0], (FileTime) d[1]);
    }
    return count[0];
  }

  private void restoreTree(Id tree, Path dir, long[] count, Deque<Object[]> dirTimes)
      throws IOException {
    for (Node n : repo.readTree(tree).nodes()) {
      Path p = dir.resolve(safe(n.name()));
      count[0]++;
      switch (n.type()) {
        case Node.DIRECTORY -> {
          Files.createDirectories(p);
          restoreTree(Id.parse(n.subtree()), p, count, dirTimes);
          permissions(p, n);
          dirTimes.push(new Object[] {p, time(n)});
        }
        case Node.FILE -> {
          try (OutputStream out = Files.newOutputStream(p)) {
            writeContent(n, out);
          }
          permissions(p, n);
          Files.setLastModifiedTime(p, time(n));
        }
        case Node.LINK -> Files.createSymbolicLink(p, Path.of(n.linktarget()));
        default -> count[0]--; // devices, FIFOs, sockets: not part of a data root
      }
    }
  }

  /** Writes the tree as a tar stream whose names start with {@code prefix} (e.g. "data/"). */
  public void writeTar(Id tree, String prefix, TarArchiveOutputStream tar) throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Node n : repo.readTree(tree).nodes()) {
      writeEntry(n, prefix + safe(n.name()), tar);
    }
  }

  /** Writes one node as the entry {@code name}, a directory with everything below it. */
  void writeEntry(Node n, String name, TarArchiveOutputStream tar) throws IOException {
    TarArchiveEntry e;
    switch (n.type()) {
      case Node.DIRECTORY -> e = new TarArchiveEntry(name + "/");
      case Node.FILE -> {
        e = new TarArchiveEntry(name);
        e.setSize(n.size() == null ? 0 : n.size());
      }
      case Node.LINK -> {
        e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(n.linktarget());
      }
      default -> {
        return; // devices, FIFOs, sockets: not part of a data root
      }
    }
    // Permission bits only, as GNU tar and Haven's own parts write them; the type is the flag.
    e.setMode(n.unixMode());
    e.setModTime(time(n));
    if (n.uid() != null) {
      e.setUserId(n.uid());
      e.setGroupId(n.gid());
    }
    if (n.user() != null) {
      e.setUserName(n.user());
    }
    if (n.group() != null) {
      e.setGroupName(n.group());
    }
    tar.putArchiveEntry(e);
    if (n.type().equals(Node.FILE)) {
      writeContent(n, tar);
    }
    tar.closeArchiveEntry();
    if (n.type().equals(Node.DIRECTORY)) {
      writeTar(Id.parse(n.subtree()), name + "/", tar);
    }
  }

  /** The bytes of every file below the tree. */
  long size(Id tree) throws IOException {
    long total = 0;
    for (Node n : repo.readTree(tree).nodes()) {
      if (n.subtree() != null) {
        total += size(Id.parse(n.subtree()));
      } else if (n.size() != null) {
        total += n.size();
      }
    }
    return total;
  }

  private void writeContent(Node n, OutputStream out) throws IOException {
    long written = 0;
    for (Id blob : n.contentIds()) {
      byte[] data = repo.readBlob(blob, BlobType.DATA);
      out.write(data);
      written += data.length;
    }
    if (n.size() != null && written != n.size()) {
      throw new ArchiveException.Corrupt("File '" + n.name() + "' has " + written + " bytes in"
          + " its blobs but " + n.size() + " in its tree. Run verify.");
    }
  }

  private static String safe(String name) throws ArchiveException {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new ArchiveException.Unsafe("A tree in the repository names an entry '" + name
          + "', which would land outside its directory; nothing was written for it.");
    }
    return name;
  }

  private static FileTime time(Node n) {
    return FileTime.from(OffsetDateTime.parse(n.mtime()).toInstant());
  }

  private static void permissions(Path p, Node n) throws IOException {
    int m = n.unixMode();
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((m & (1 << (8 - i))) != 0) {
        s.add(all[i]);
      }
    }
    Files.setPosixFilePermissions(p, s);
  }
}
