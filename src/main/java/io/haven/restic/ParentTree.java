package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One part's tree in the snapshot copied before this one (restic's parent snapshot), read along
 * as a copy walks the same part in directory order. A file with the same size and modification
 * time there, last changed at least a second before that snapshot was taken, has not changed
 * since, so its blobs are taken over without chunking it again. A tar keeps no inode or change
 * time to compare as well, and may keep whole seconds only: hence the second. Only the
 * directories above the current entry are held.
 */
final class ParentTree {
  private final Repository repo;
  private final Instant taken;
  private final Deque<Dir> open = new ArrayDeque<>();

  private record Dir(String path, Map<String, Node> nodes) {}

  private ParentTree(Repository repo, Instant taken) {
    this.repo = repo;
    this.taken = taken;
  }

  /** No parent: every file is chunked. */
  static ParentTree none() {
    return new ParentTree(null, Instant.MIN);
  }

  /** The part whose directory in the parent snapshot is the tree {@code root}. */
  static ParentTree of(Repository repo, Instant taken, Id root) throws IOException {
    ParentTree t = new ParentTree(repo, taken);
    t.open.push(new Dir("", t.load(root)));
    return t;
  }

  /**
   * The blobs of the file at {@code path} (relative, '/'-separated) if the parent has it
   * unchanged: the same size and modification time, older than the parent by a second.
   */
  Optional<List<String>> unchanged(String path, Meta meta, long size) throws IOException {
    if (open.isEmpty() || meta.mtime().plusSeconds(1).isAfter(taken)) {
      return Optional.empty();
    }
    Node n = directory(TreeBuilder.parentOf(path)).get(TreeBuilder.nameOf(path));
    if (n == null || !Node.FILE.equals(n.type()) || n.size() == null || n.size() != size
        || !meta.time().equals(n.mtime())) {
      return Optional.empty();
    }
    return Optional.of(n.content() == null ? List.of() : n.content());
  }

  // The parent's entries of directory `path`, empty where the parent has no such directory.
  private Map<String, Node> directory(String path) throws IOException {
    while (!TreeBuilder.within(path, open.peek().path)) {
      open.pop();
    }
    while (!open.peek().path.equals(path)) {
      Dir top = open.peek();
      int next = path.indexOf('/', top.path.isEmpty() ? 0 : top.path.length() + 1);
      String child = next < 0 ? path : path.substring(0, next);
      Node n = top.nodes.get(TreeBuilder.nameOf(child));
      open.push(new Dir(child, n == null || n.subtree() == null ? Map.of() : load(n.subtreeId())));
    }
    return open.peek().nodes;
  }

  // A parent's tree that cannot be read only means its files are chunked again; verify names it.
  private Map<String, Node> load(Id tree) throws IOException {
    Map<String, Node> nodes = new HashMap<>();
    List<Node> listed;
    try {
      listed = repo.readTree(tree).nodes();
    } catch (ArchiveException.Corrupt e) {
      return Map.of();
    }
    for (Node n : listed) {
      nodes.put(n.name(), n);
    }
    return nodes;
  }
}
