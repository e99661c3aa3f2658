package io.haven.restic;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Part;
import io.haven.archive.PartFacts;
import io.haven.archive.PartInput;
import io.haven.archive.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Copies a stored backup (Haven's or Home Assistant's, any compression, SecureTar or not) into a
 * repository as one snapshot whose tree is the data root's layout: {@code config/},
 * {@code share/}, {@code ssl/}, {@code media/}, {@code addons/local/},
 * {@code addons/data/<slug>/}. Each part is read as a stream, entry by entry, into the chunker.
 * The backup's own files ({@code backup.json}, each part's {@code homeassistant.json} or
 * {@code addon.json}) go under {@code .haven-backup/}, a name Haven reserves in a data root; the
 * snapshot also carries backup.json, and the slug as its tag. A part whose tar is the one the
 * parent snapshot was copied from (same length and SHA-256 in both backups' facts) is not read:
 * the parent's directories for it are taken over whole, so an unchanged part costs the reading of
 * its trees, not of its bytes.
 */
public final class BackupCopy {
  /** The tree's directory for the backup's own files; data roots reserve ".haven-" names. */
  public static final String BACKUP_DIR = ".haven-backup";
  /** The snapshot's path: where the data root is on a device. */
  public static final String DATA_PATH = "/data";

  private BackupCopy() {}

  /** The result: the new snapshot and what it added to the repository. */
  public record Result(Id snapshot, SnapshotWriter.Stats stats) {}

  public static Result copy(Repository repo, BackupArchive archive, Optional<Secret> secret)
      throws IOException {
    BackupMetadata meta = archive.metadata().orElseThrow(() -> new ArchiveException.Unsupported(
        archive.describe() + " has no backup.json; only backups can be copied."));
    Instant time = java.time.OffsetDateTime.parse(meta.date()).toInstant();
    // A shared lock, as restic's backup takes: a prune of restic's or Haven's waits for it.
    try (Lock lock = Lock.acquire(repo, false); SnapshotWriter w = repo.newSnapshot()) {
      Optional<StoredSnapshot> parent = parent(repo);
      Layout root = new Layout(time);
      List<Node> own = new ArrayList<>();
      byte[] json = BackupJson.write(meta);
      own.add(fileNode(w, "backup.json", json, time));
      // Read once: each part is compared with its facts in the parent's backup.json.
      Optional<BackupMetadata> before = parent.isEmpty() ? Optional.empty()
          : SnapshotSource.of(repo, parent.get()).metadata();
      for (Part part : archive.parts()) {
        Optional<Copied> same = sameAsParent(w, repo, parent, before, meta, part);
        if (same.isPresent()) {
          root.put(part, same.get().data());
          same.get().own().forEach(n -> own.add(Node.dir(part.memberBase(), 0755,
              time.toString(), 0, 0, n.subtreeId())));
          continue;
        }
        try (PartInput in = archive.openPart(part, secret)) {
          Copied c = copyPart(w, parentTree(repo, parent, part), in, part,
              archive.describe() + ", part '" + part + "'", time);
          in.finish();
          root.put(part, c.data());
          if (!c.own().isEmpty()) {
            own.add(Node.dir(part.memberBase(), 0755, time.toString(), 0, 0, w.saveTree(c.own())));
          }
        }
      }
      root.top.add(Node.dir(BACKUP_DIR, 0700, time.toString(), 0, 0, w.saveTree(own)));
      Id tree = root.save(w);
      JsonNode backup = Json.MAPPER.readTree(json);
      Id id = w.commit(tree, parent.map(StoredSnapshot::id).orElse(null), List.of(DATA_PATH),
          List.of(meta.slug()), time, backup);
      return new Result(id, w.stats());
    }
  }

  /** Where a part's directory is in the data root's layout. */
  static String path(Part part) {
    return switch (part.kind()) {
      case HOMEASSISTANT -> "config";
      case ADDON -> "addons/data/" + part.id();
      default -> part.id();
    };
  }

  // As restic's backup chooses its parent: the latest snapshot of this host's data root.
  private static Optional<StoredSnapshot> parent(Repository repo) throws IOException {
    return repo.snapshots().stream()
        .filter(s -> s.snapshot().havenBackup() != null
            && s.snapshot().paths().equals(List.of(DATA_PATH))
            && Repository.host().equals(s.snapshot().hostname()))
        .reduce((older, newer) -> newer);
  }

  private static ParentTree parentTree(Repository repo, Optional<StoredSnapshot> parent,
      Part part) throws IOException {
    if (parent.isEmpty()) {
      return ParentTree.none();
    }
    Snapshot s = parent.get().snapshot();
    Optional<Node> dir = new Restorer(repo).directory(s.treeId(), path(part));
    return dir.isEmpty() ? ParentTree.none()
        : ParentTree.of(repo, s.instant(), dir.get().subtreeId());
  }

  private record Copied(Node data, List<Node> own) {}

  /**
   * The parent's directories of a part whose tar has the same length and SHA-256 as the one the
   * parent was copied from: the same entries, so nothing of it is read. Not for a protected part,
   * whose digest is keyed per backup, nor when any of the parent's blobs is missing from the
   * index. The part's own backup files keep the directory they had in the parent.
   */
  private static Optional<Copied> sameAsParent(SnapshotWriter w, Repository repo,
      Optional<StoredSnapshot> parent, Optional<BackupMetadata> parentMeta, BackupMetadata meta,
      Part part) throws IOException {
    Optional<PartFacts> facts = facts(meta, part);
    Optional<PartFacts> before = parentMeta.flatMap(m -> facts(m, part));
    if (facts.isEmpty() || before.isEmpty() || before.get().tarSize() != facts.get().tarSize()
        || !before.get().sha256().equals(facts.get().sha256())) {
      return Optional.empty();
    }
    Restorer trees = new Restorer(repo);
    Id tree = parent.get().snapshot().treeId();
    Optional<Node> data = trees.directory(tree, path(part));
    Optional<Node> own = part.kind() == Part.Kind.FOLDER ? Optional.empty()
        : trees.directory(tree, BACKUP_DIR + "/" + part.memberBase());
    if (data.isEmpty() || own.isPresent() && !w.knownTree(own.get().subtreeId())
        || !w.knownTree(data.get().subtreeId())) {
      return Optional.empty();
    }
    return Optional.of(new Copied(data.get(), own.stream().toList()));
  }

  private static Optional<PartFacts> facts(BackupMetadata meta, Part part) {
    return meta.haven().flatMap(h -> h.part(part)).filter(f -> !f.keyed());
  }

  // Home Assistant's and add-ons' parts keep their files under "data/"; folders at "./".
  private static Copied copyPart(SnapshotWriter w, ParentTree parent, PartInput in, Part part,
      String what, Instant time) throws IOException {
    String prefix = part.kind() == Part.Kind.FOLDER ? "" : "data/";
    String name = part.id().substring(part.id().lastIndexOf('/') + 1);
    TreeBuilder data = new TreeBuilder(w, parent, Meta.directory(time), what);
    List<Node> own = new ArrayList<>();
    for (Optional<TarArchiveEntry> next; (next = in.nextEntry()).isPresent(); ) {
      TarArchiveEntry e = next.get();
      String path = clean(e.getName());
      if (!prefix.isEmpty() && !(path + "/").startsWith(prefix)) {
        if (e.isFile() && !path.isEmpty()) {
          SnapshotWriter.Content c = w.saveContent(in.content());
          own.add(Node.file(path.replace('/', '_'), e.getMode(), e.getLastModifiedTime()
              .toInstant().toString(), (int) e.getLongUserId(), (int) e.getLongGroupId(),
              c.size(), c.blobs()));
        }
        continue;
      }
      String rel = prefix.isEmpty() ? path
          : path.length() <= prefix.length() - 1 ? "" : path.substring(prefix.length());
      add(data, e, rel, in);
    }
    return new Copied(data.finish(name), own);
  }

  private static void add(TreeBuilder t, TarArchiveEntry e, String rel, PartInput in)
      throws IOException {
    Meta m = new Meta(e.getMode() & 07777, e.getLastModifiedTime().toInstant(),
        (int) e.getLongUserId(), (int) e.getLongGroupId(), blankToNull(e.getUserName()),
        blankToNull(e.getGroupName()));
    if (e.isDirectory()) {
      t.dir(rel, m);
    } else if (e.isSymbolicLink()) {
      t.symlink(rel, e.getLinkName(), m);
    } else if (e.isLink()) {
      t.hardLink(rel, clean(e.getLinkName()).replaceFirst("^data/", ""), m);
    } else if (e.isFile()) {
      t.file(rel, m, e.getSize(), in.content());
    }
    // Devices and FIFOs are never in a part; Haven's own archives leave them out.
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String clean(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name.equals(".") ? "" : name;
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  private static Node fileNode(SnapshotWriter w, String name, byte[] bytes, Instant time)
      throws IOException {
    SnapshotWriter.Content c = w.saveContent(new ByteArrayInputStream(bytes));
    return Node.file(name, 0600, time.toString(), 0, 0, c.size(), c.blobs());
  }

  /** The root of the data root's layout, filled part by part. */
  private static final class Layout {
    final Instant time;
    final List<Node> top = new ArrayList<>();
    Node local;
    final List<Node> addons = new ArrayList<>();

    Layout(Instant time) {
      this.time = time;
    }

    void put(Part part, Node dir) {
      switch (part.kind()) {
        case HOMEASSISTANT -> top.add(rename(dir, "config"));
        case ADDON -> addons.add(rename(dir, part.id()));
        default -> {
          if (part.id().equals("addons/local")) {
            local = rename(dir, "local");
          } else {
            top.add(rename(dir, part.id()));
          }
        }
      }
    }

    Id save(SnapshotWriter w) throws IOException {
      if (local != null || !addons.isEmpty()) {
        List<Node> children = new ArrayList<>();
        if (local != null) {
          children.add(local);
        }
        if (!addons.isEmpty()) {
          children.add(Node.dir("data", 0755, time.toString(), 0, 0, w.saveTree(addons)));
        }
        top.add(Node.dir("addons", 0755, time.toString(), 0, 0, w.saveTree(children)));
      }
      return w.saveTree(top);
    }

    private static Node rename(Node n, String name) {
      return new Node(name, n.type(), n.mode(), n.mtime(), n.atime(), n.ctime(), n.uid(), n.gid(),
          n.user(), n.group(), n.inode(), n.deviceId(), n.size(), n.links(), n.linktarget(),
          n.content(), n.subtree());
    }
  }
}
