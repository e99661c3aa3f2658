package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * restic's check: every pack the index names exists and its header agrees; every snapshot's
 * trees and data blobs are in the index, with file sizes that add up; with read-data, every
 * pack's bytes match its name and every blob decrypts to its ID. Problems are collected, not
 * thrown, so one run names every damaged pack.
 */
public final class Checker {
  private final Repository repo;
  private final List<String> errors = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Checker(Repository repo) {
    this.repo = repo;
  }

  /** What the check found. {@code notes} are harmless (unreferenced packs prune removes). */
  public record Report(List<String> errors, List<String> notes) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /**
   * Checks the repository. Holds no list of packs or trees on the heap: they go to a scratch
   * file ({@link CheckTables}) in the repository's spool directory.
   */
  public Report check(boolean readData) throws IOException {
    try (CheckTables tables = new CheckTables(repo.spool())) {
      tables.recordPacks(repo);
      tables.missing(pack -> errors.add("pack " + pack + " is named by the index but missing"));
      tables.unreferenced(pack -> notes.add("pack " + pack
          + " is not referenced by any index (a prune removes it)"));
      tables.present((pack, size) -> checkPack(pack, size, readData));
      for (StoredSnapshot s : repo.snapshots()) {
        checkTree(s.snapshot().treeId(), "snapshot " + s.id().shortId(), tables);
      }
    }
    return new Report(List.copyOf(errors), List.copyOf(notes));
  }

  private void checkPack(Id pack, long size, boolean readData) throws IOException {
    List<BlobEntry> header;
    try {
      header = repo.packHeader(pack, size);
    } catch (ArchiveException e) {
      errors.add("pack " + pack + ": " + e.getMessage());
      return;
    }
    for (BlobEntry b : header) {
      if (!repo.index().has(b.id(), b.type())) {
        errors.add("pack " + pack + " holds " + b.type().json() + " blob " + b.id()
            + " that no index lists");
      }
    }
    if (readData) {
      readPack(pack, size, header);
    }
  }

  private void readPack(Id pack, long size, List<BlobEntry> header) throws IOException {
    MessageDigest sha = Id.sha256();
    String name = Repository.packName(pack);
    long at = 0;
    for (BlobEntry b : header) {
      byte[] sealed = repo.storage().read(name, b.offset(), b.length());
      sha.update(sealed);
      at = b.offset() + b.length();
      try {
        repo.decodeBlob(b, sealed, 0);
      } catch (ArchiveException e) {
        errors.add("pack " + pack + ": " + e.getMessage());
      }
    }
    sha.update(repo.storage().read(name, at, (int) (size - at)));
    if (!Id.of(sha.digest()).equals(pack)) {
      errors.add("pack " + pack + " does not match its name: its bytes are damaged");
    }
  }

  private void checkTree(Id id, String where, CheckTables seen) throws IOException {
    if (!seen.firstVisit(id)) {
      return;
    }
    Tree tree;
    try {
      tree = repo.readTree(id);
    } catch (ArchiveException e) {
      errors.add(where + ": tree " + id.shortId() + ": " + e.getMessage());
      return;
    }
    for (Node n : tree.nodes()) {
      String path = where + "/" + n.name();
      if (Node.DIRECTORY.equals(n.type())) {
        if (n.subtree() == null) {
          errors.add(path + " is a directory without a subtree");
        } else {
          checkTree(n.subtreeId(), path, seen);
        }
      } else if (Node.FILE.equals(n.type())) {
        checkFile(n, path);
      }
    }
  }

  private void checkFile(Node n, String path) {
    if (n.content() == null) {
      errors.add(path + " has no list of blobs");
      return;
    }
    long size = 0;
    for (Id blob : n.contentIds()) {
      var e = repo.index().find(blob, BlobType.DATA);
      if (e.isEmpty()) {
        errors.add(path + ": data blob " + blob + " is not in the index");
        return;
      }
      size += e.get().plainLength();
    }
    if (n.size() != null && size != n.size()) {
      errors.add(path + ": size " + n.size() + " but its blobs hold " + size + " bytes");
    }
  }
}
