package io.haven.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the entries of Haven's own tree into a part's tar: directories, regular files and
 * symbolic links. Each gets one ustar header, formatted into a reused buffer; a PAX extended
 * header comes before it only when a value does not fit ustar (a name or link target over 100
 * bytes or not ASCII, a file of 8 GiB or more, an owner id or time out of range), as Python's
 * tarfile and GNU tar write PAX. Times are whole seconds, as GNU tar keeps them. Owner names are
 * left empty, so every reader uses the numeric owner the header holds.
 */
public final class TarWriter {
  static final int BLOCK = 512;
  /** Readers expect the archive to end on a 20-block record, as tar and tarfile write it. */
  private static final int RECORD = 20 * BLOCK;
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;
  private static final byte[] ZEROS = new byte[BLOCK];

  private final OutputStream out;
  private final byte[] header = new byte[BLOCK];
  private final StringBuilder pax = new StringBuilder();
  private long written;
  private long left = -1;
  private long files;
  private long fileBytes;
  private boolean finished;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Owner, permission bits and modification time (epoch seconds) of an entry. */
  public record Meta(int mode, long uid, long gid, long mtime) {}

  /** A directory; {@code name} ends with "/". */
  public void directory(String name, Meta meta) throws IOException {
    entry(name, '5', meta, 0, "");
  }

  /** A symbolic link to {@code target}. */
  public void symlink(String name, String target, Meta meta) throws IOException {
    entry(name, '2', meta, 0, target);
  }

  /** Starts a regular file of {@code size} bytes; write exactly those, then {@link #endFile}. */
  public void beginFile(String name, Meta meta, long size) throws IOException {
    entry(name, '0', meta, size, "");
    left = size;
    files++;
    fileBytes += size;
  }

  public void write(byte[] b, int off, int len) throws IOException {
    if (len > left) {
      throw new IllegalStateException("more bytes than the entry's header says: " + len
          + " > " + left);
    }
    out.write(b, off, len);
    left -= len;
    written += len;
  }

  /** Ends the file begun last: all its bytes must have been written. */
  public void endFile() throws IOException {
    if (left != 0) {
      throw new IllegalStateException(left + " bytes of the entry were not written");
    }
    left = -1;
    pad();
  }

  /** Writes the end-of-archive blocks, padded to a whole record. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    if (left > 0) {
      throw new IllegalStateException("an entry is unfinished: " + left + " bytes missing");
    }
    finished = true;
    // A stop between a file's last byte and its end leaves the block unpadded; without this the
    // record padding below would never line up.
    pad();
    left = -1;
    for (int i = 0; i < 2; i++) {
      raw(ZEROS, BLOCK);
    }
    while (written % RECORD != 0) {
      raw(ZEROS, BLOCK);
    }
  }

  long files() {
    return files;
  }

  long fileBytes() {
    return fileBytes;
  }

  private void entry(String name, char type, Meta meta, long size, String link)
      throws IOException {
    if (left > 0 || finished) {
      throw new IllegalStateException("the previous entry is unfinished, or the tar is ended");
    }
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    long uid = meta.uid();
    long gid = meta.gid();
    long mtime = meta.mtime();
    pax.setLength(0);
    if (nameBytes.length > 100 || !isAscii(nameBytes)) {
      record("path", name);
    }
    if (linkBytes.length > 100 || !isAscii(linkBytes)) {
      record("linkpath", link);
    }
    if (size > MAX_OCTAL_11) {
      record("size", Long.toString(size));
      size = 0;
    }
    if (uid < 0 || uid > MAX_OCTAL_7) {
      record("uid", Long.toString(uid));
      uid = 0;
    }
    if (gid < 0 || gid > MAX_OCTAL_7) {
      record("gid", Long.toString(gid));
      gid = 0;
    }
    if (mtime < 0 || mtime > MAX_OCTAL_11) {
      record("mtime", Long.toString(mtime));
      mtime = 0;
    }
    if (pax.length() > 0) {
      byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
      byte[] paxName = ("././@PaxHeader").getBytes(StandardCharsets.US_ASCII);
      fill(paxName, 'x', 0644, 0, 0, 0, records.length, new byte[0]);
      raw(header, BLOCK);
      out.write(records);
      written += records.length;
      pad();
    }
    fill(nameBytes, type, meta.mode() & 07777, uid, gid, mtime, size, linkBytes);
    raw(header, BLOCK);
  }

  // A PAX record is "<length> <key>=<value>\n", the length counting its own digits.
  private void record(String key, String value) {
    int body = 3 + key.length() + value.getBytes(StandardCharsets.UTF_8).length;
    int length = body + Integer.toString(body).length();
    if (Integer.toString(length).length() != Integer.toString(body).length()) {
      length++;
    }
    pax.append(length).append(' ').append(key).append('=').append(value).append('\n');
  }

  private void fill(byte[] name, char type, int mode, long uid, long gid, long mtime, long size,
      byte[] link) {
    java.util.Arrays.fill(header, (byte) 0);
    copyAscii(name, 0, 100);
    octal(mode, 100, 8);
    octal(uid, 108, 8);
    octal(gid, 116, 8);
    octal(size, 124, 12);
    octal(mtime, 136, 12);
    header[156] = (byte) type;
    copyAscii(link, 157, 100);
    header[257] = 'u';
    header[258] = 's';
    header[259] = 't';
    header[260] = 'a';
    header[261] = 'r';
    header[263] = '0';
    header[264] = '0';
    octal(0, 329, 8);
    octal(0, 337, 8);
    long sum = 8 * ' ';
    for (int i = 0; i < BLOCK; i++) {
      if (i < 148 || i >= 156) {
        sum += header[i] & 0xff;
      }
    }
    octal(sum, 148, 7); // six digits and a NUL, then a space, as tar writes it
    header[155] = ' ';
  }

  // The header's copy of a name that needs PAX: its first bytes, non-ASCII ones as '?'.
  private void copyAscii(byte[] s, int at, int max) {
    int n = Math.min(s.length, max);
    for (int i = 0; i < n; i++) {
      header[at + i] = s[i] < 0 ? (byte) '?' : s[i];
    }
  }

  // Zero-padded octal digits ending in a NUL, filling width bytes.
  private void octal(long value, int at, int width) {
    int end = at + width - 1;
    header[end] = 0;
    long v = value;
    for (int i = end - 1; i >= at; i--) {
      header[i] = (byte) ('0' + (v & 7));
      v >>>= 3;
    }
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }

  private void pad() throws IOException {
    int n = (int) ((BLOCK - written % BLOCK) % BLOCK);
    if (n > 0) {
      raw(ZEROS, n);
    }
  }

  private void raw(byte[] b, int len) throws IOException {
    out.write(b, 0, len);
    written += len;
  }
}
