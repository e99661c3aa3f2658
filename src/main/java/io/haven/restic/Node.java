package io.haven.restic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a tree, with restic's field names. {@code mode} is Go's {@code os.FileMode}: the
 * permission bits plus {@link #DIR} or {@link #SYMLINK}. A file has {@code content} (its data
 * blobs in order, empty for an empty file) and {@code size}; a directory has {@code subtree}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Node(
    String name,
    String type,
    long mode,
    String mtime,
    String atime,
    String ctime,
    Integer uid,
    Integer gid,
    String user,
    String group,
    Long inode,
    @JsonProperty("device_id") Long deviceId,
    Long size,
    Long links,
    String linktarget,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<String> content,
    String subtree) {

  static final long DIR = 1L << 31;
  static final long SYMLINK = 1L << 27;
  static final long SETUID = 1L << 23;
  static final long SETGID = 1L << 22;
  static final long STICKY = 1L << 20;

  static final String FILE = "file";
  static final String DIRECTORY = "dir";
  static final String LINK = "symlink";

  static Node file(String name, int unixMode, String mtime, int uid, int gid, long size,
      List<String> content) {
    return new Node(name, FILE, goMode(unixMode), mtime, mtime, mtime, uid, gid, null, null, null,
        null, size, 1L, null, content, null);
  }

  static Node dir(String name, int unixMode, String mtime, int uid, int gid, Id subtree) {
    return new Node(name, DIRECTORY, DIR | goMode(unixMode), mtime, mtime, mtime, uid, gid, null,
        null, null, null, null, null, null, null, subtree.toString());
  }

  static Node symlink(String name, String target, String mtime, int uid, int gid) {
    return new Node(name, LINK, SYMLINK | 0777, mtime, mtime, mtime, uid, gid, null, null, null,
        null, null, 1L, target, null, null);
  }

  /** Go's FileMode from a Unix mode's permission, setuid, setgid and sticky bits. */
  static long goMode(int unix) {
    long m = unix & 0777;
    if ((unix & 04000) != 0) {
      m |= SETUID;
    }
    if ((unix & 02000) != 0) {
      m |= SETGID;
    }
    if ((unix & 01000) != 0) {
      m |= STICKY;
    }
    return m;
  }

  /** The Unix permission bits (with setuid, setgid, sticky) of this node's Go mode. */
  int unixMode() {
    int m = (int) (mode & 0777);
    if ((mode & SETUID) != 0) {
      m |= 04000;
    }
    if ((mode & SETGID) != 0) {
      m |= 02000;
    }
    if ((mode & STICKY) != 0) {
      m |= 01000;
    }
    return m;
  }

  List<Id> contentIds() {
    return content == null ? List.of() : content.stream().map(Id::parse).toList();
  }

  /** A directory's tree. */
  Id subtreeId() {
    return Id.parse(subtree);
  }
}
