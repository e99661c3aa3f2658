package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a stream of entries in directory order (a directory's entries follow it, as a tar made
 * by walking a tree has them) into restic trees, bottom up: a directory's tree is stored as soon
 * as the stream leaves it, so only the open directories' listings are held in memory.
 */
final class TreeBuilder {
  /** Hard links name an earlier file; the latest this many files are remembered for them. */
  private static final int LINK_MEMORY = 10_000;

  private final SnapshotWriter out;
  private final ParentTree parent;
  private final String what;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private final Map<String, Node> recentFiles = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Node> eldest) {
      return size() > LINK_MEMORY;
    }
  };

  private static final class Frame {
    final String path;
    Meta meta;
    final List<Node> children = new ArrayList<>();
    final Set<String> names = new HashSet<>();

    Frame(String path, Meta meta) {
      this.path = path;
      this.meta = meta;
    }

    String name() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  TreeBuilder(SnapshotWriter out, ParentTree parent, Meta root, String what) {
    this.out = out;
    this.parent = parent;
    this.what = what;
    stack.push(new Frame("", root));
  }

  /** A directory at {@code path} (relative, '/'-separated). */
  void dir(String path, Meta meta) throws IOException {
    if (path.isEmpty()) {
      stack.getLast().meta = meta;
      return;
    }
    for (Frame f : stack) {
      if (f.path.equals(path)) {
        f.meta = meta;
        return;
      }
    }
    Frame parent = enter(parentOf(path));
    claim(parent, path);
    stack.push(new Frame(path, meta));
  }

  /** A file of {@code size} bytes; its content is read only if the parent has it changed. */
  void file(String path, Meta meta, long size, InputStream content) throws IOException {
    Frame dir = enter(parentOf(path));
    claim(dir, path);
    Optional<List<String>> same = parent.unchanged(path, meta, size);
    Optional<SnapshotWriter.Content> known = same.isPresent()
        ? out.known(same.get(), size) : Optional.empty();
    SnapshotWriter.Content c = known.isPresent() ? known.get() : out.saveContent(content);
    Node n = Node.file(nameOf(path), meta.mode(), meta.time(), meta.uid(), meta.gid(), c.size(),
        c.blobs());
    n = withOwner(n, meta);
    dir.children.add(n);
    recentFiles.put(path, n);
  }

  /** A hard link to an earlier file of the stream: the same content under another name. */
  void hardLink(String path, String target, Meta meta) throws IOException {
    Node earlier = recentFiles.get(target);
    if (earlier == null) {
      throw new ArchiveException.Unsupported(what + ": '" + path + "' is a hard link to '"
          + target + "', which is not among the last " + LINK_MEMORY + " files. Copy the"
          + " backup as it is to another location instead.");
    }
    Frame parent = enter(parentOf(path));
    claim(parent, path);
    parent.children.add(withOwner(Node.file(nameOf(path), meta.mode(), meta.time(), meta.uid(),
        meta.gid(), earlier.size(), earlier.content()), meta));
  }

  void symlink(String path, String target, Meta meta) throws IOException {
    Frame parent = enter(parentOf(path));
    claim(parent, path);
    parent.children.add(withOwner(Node.symlink(nameOf(path), target, meta.time(), meta.uid(),
        meta.gid()), meta));
  }

  /** Stores every open directory; returns the root's tree and its metadata. */
  Node finish(String rootName) throws IOException {
    while (stack.size() > 1) {
      close();
    }
    Frame root = stack.pop();
    Id tree = out.saveTree(root.children);
    return withOwner(Node.dir(rootName, root.meta.mode(), root.meta.time(), root.meta.uid(),
        root.meta.gid(), tree), root.meta);
  }

  private static Node withOwner(Node n, Meta m) {
    return new Node(n.name(), n.type(), n.mode(), n.mtime(), n.atime(), n.ctime(), n.uid(),
        n.gid(), m.user(), m.group(), n.inode(), n.deviceId(), n.size(), n.links(),
        n.linktarget(), n.content(), n.subtree());
  }

  // Closes directories until `dir` is open, opening any missing parents on the way.
  private Frame enter(String dir) throws IOException {
    while (!within(dir, stack.peek().path)) {
      close();
    }
    while (!stack.peek().path.equals(dir)) {
      String top = stack.peek().path;
      int next = dir.indexOf('/', top.isEmpty() ? 0 : top.length() + 1);
      String child = next < 0 ? dir : dir.substring(0, next);
      claim(stack.peek(), child);
      stack.push(new Frame(child, Meta.directory(stack.getLast().meta.mtime())));
    }
    return stack.peek();
  }

  private void claim(Frame parent, String path) throws ArchiveException {
    if (!parent.names.add(nameOf(path))) {
      throw new ArchiveException.Unsupported(what + ": '" + path + "' appears twice, or after"
          + " its directory was already complete. Haven copies archives whose entries are in"
          + " directory order.");
    }
  }

  private void close() throws IOException {
    Frame f = stack.pop();
    Id tree = out.saveTree(f.children);
    stack.peek().children.add(withOwner(Node.dir(f.name(), f.meta.mode(), f.meta.time(),
        f.meta.uid(), f.meta.gid(), tree), f.meta));
  }

  static boolean within(String path, String dir) {
    return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
  }

  static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
