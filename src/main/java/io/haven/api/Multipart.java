package io.haven.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first part of a multipart/form-data body, as a stream: the Supervisor's upload takes the
 * first part as the backup file. Reads through one fixed buffer, so any size streams through.
 */
final class Multipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;

  private Multipart() {}

  /** The boundary of a multipart Content-Type; empty for any other body. */
  static Optional<String> boundary(String contentType) throws ApiException {
    if (contentType == null || !contentType.toLowerCase().startsWith("multipart/")) {
      return Optional.empty();
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw new ApiException.BadRequest("multipart body without a boundary");
    }
    return Optional.of(m.group(1));
  }

  /** The first part's content; its headers are read and skipped. */
  static InputStream firstPart(InputStream body, String boundary) throws IOException {
    Delimited reader = new Delimited(body);
    reader.skipPast(bytes("--" + boundary + "\r\n"), "its first boundary");
    reader.skipPast(bytes("\r\n\r\n"), "the end of the part's headers");
    return reader.until(bytes("\r\n--" + boundary));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A buffered reader that yields bytes up to a delimiter. */
  private static final class Delimited {
    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int len;
    private boolean eof;

    Delimited(InputStream in) {
      this.in = in;
    }

    void skipPast(byte[] delimiter, String what) throws IOException {
      long skipped = 0;
      try (InputStream s = until(delimiter)) {
        byte[] scratch = new byte[4096];
        int n;
        while ((n = s.read(scratch)) > 0) {
          skipped += n;
          if (skipped > MAX_HEADERS) {
            throw new ApiException.BadRequest("multipart body: no " + what + " in its first "
                + MAX_HEADERS + " bytes");
          }
        }
      }
    }

    InputStream until(byte[] delimiter) {
      return new InputStream() {
        private boolean ended;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
          if (ended) {
            return -1;
          }
          fill(delimiter.length);
          int at = indexOf(delimiter);
          if (at == pos) {
            pos += delimiter.length;
            ended = true;
            return -1;
          }
          int available = at >= 0 ? at - pos : len - pos - (delimiter.length - 1);
          if (at < 0 && eof || available <= 0) {
            throw new ApiException.BadRequest("multipart body ended before its closing"
                + " boundary: the upload was cut off");
          }
          int count = Math.min(n, available);
          System.arraycopy(buf, pos, b, off, count);
          pos += count;
          return count;
        }
      };
    }

    // Keeps at least `need` bytes after pos in the buffer, unless the body ends first.
    private void fill(int need) throws IOException {
      if (len - pos >= Math.max(need, BUFFER / 2) || eof) {
        return;
      }
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
      pos = 0;
      while (len < buf.length && !eof) {
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          eof = true;
        } else {
          len += n;
        }
      }
    }

    private int indexOf(byte[] d) {
      outer:
      for (int i = pos; i <= len - d.length; i++) {
        for (int j = 0; j < d.length; j++) {
          if (buf[i + j] != d[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
