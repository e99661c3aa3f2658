package io.haven.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Header bytes of the outer tar, shaped as Python's tarfile writes them for the Supervisor: a PAX
 * header carrying the float mtime, then a ustar header whose size is patched in once the member's
 * body has been streamed.
 */
final class OuterTar {
  static final int BLOCK = 512;
  /** Python's tarfile RECORDSIZE: the archive ends on a multiple of 20 blocks. */
  static final int RECORD = 20 * BLOCK;

  private OuterTar() {}

  /** A ustar header for a regular file; sizes of 8 GiB and more use the base-256 number form. */
  static byte[] fileHeader(String name, long size, long mtimeSeconds) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    // Python's tarfile writes permission bits only; 0100644 would read back as mode 0o100644.
    e.setMode(0644);
    e.setModTime(mtimeSeconds * 1000);
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
    byte[] header = new byte[BLOCK];
    e.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8), true);
    return header;
  }

  /** A PAX extended header block (header plus padded records) holding {@code mtime}. */
  static byte[] paxMtime(long epochMicros) throws IOException {
    String value = (epochMicros / 1_000_000) + "." + String.format("%06d", epochMicros % 1_000_000);
    byte[] records = paxRecord("mtime", value);
    TarArchiveEntry pax = new TarArchiveEntry("././@PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    pax.setSize(records.length);
    pax.setMode(0); // Python's tarfile leaves the PAX header's own mode at zero
    pax.setUserName("");
    pax.setGroupName("");
    byte[] header = new byte[BLOCK];
    pax.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8), true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    out.write(records);
    out.write(new byte[padding(records.length)]);
    return out.toByteArray();
  }

  // "%d %s=%s\n" where the leading length counts itself.
  private static byte[] paxRecord(String key, String value) {
    int body = key.length() + value.length() + 3;
    int len = body + Integer.toString(body).length();
    if (Integer.toString(len).length() != Integer.toString(body).length()) {
      len++;
    }
    return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Zero bytes that bring {@code size} to a whole block. */
  static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }
}
