package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * restic's check: every pack the index names exists and its header agrees; every snapshot's
 * trees and data blobs are in the index, with file sizes that add up; with read-data, every
 * pack's bytes match its name and every blob decrypts to its ID. Problems are collected, not
 * thrown, so one run names every damaged pack.
 *
 * <p>With read-data, {@link #READERS} threads read packs side by side; the blobs they hold at
 * once are kept to {@link #READ_BUDGET} bytes (a blob takes about its sealed length twice and its
 * plain length once while it is checked), so the heap needed does not grow with the repository.
 */
public final class Checker {
  static final int READERS = 2;
  private static final int READ_BUDGET = 3 * Chunker.MAX + 2 * Crypto.OVERHEAD;

  private final Repository repo;
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final List<String> notes = new ArrayList<>();
  private final Semaphore budget = new Semaphore(READ_BUDGET);

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
    try (CheckTables tables = new CheckTables(repo.spool());
        Workers readers = new Workers("haven-restic-check", READERS, READERS)) {
      tables.recordPacks(repo);
      tables.missing(pack -> errors.add("pack " + pack + " is named by the index but missing"));
      tables.unreferenced(pack -> notes.add("pack " + pack
          + " is not referenced by any index (a prune removes it)"));
      tables.present((pack, size) -> checkPack(pack, size, readData ? readers : null));
      readers.finish();
      for (StoredSnapshot s : repo.snapshots()) {
        checkTree(s.snapshot().treeId(), "snapshot " + s.id().shortId(), tables);
      }
    }
    return new Report(List.copyOf(errors), List.copyOf(notes));
  }

  private void checkPack(Id pack, long size, Workers readers) throws IOException {
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
    if (readers != null) {
      readers.submit(() -> readPack(pack, size, header));
    }
  }

  private void readPack(Id pack, long size, List<BlobEntry> header) throws IOException {
    MessageDigest sha = Id.sha256();
    String name = Repository.packName(pack);
    long at = 0;
    for (BlobEntry b : header) {
      int cost = Math.min(READ_BUDGET, 2 * b.length() + b.plainLength());
      budget.acquireUninterruptibly(cost);
      try {
        byte[] sealed = repo.storage().read(name, b.offset(), b.length());
        sha.update(sealed);
        at = b.offset() + b.length();
        repo.decodeBlob(b, sealed, 0);
      } catch (ArchiveException e) {
        errors.add("pack " + pack + ": " + e.getMessage());
      } finally {
        budget.release(cost);
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
