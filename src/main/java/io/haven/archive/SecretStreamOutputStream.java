package io.haven.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * SecureTar v3 encryption of one part: writes the 136-byte header at once, then the plaintext in
 * 1 MiB secretstream chunks. One chunk is held back so that closing can tag the last one FINAL,
 * even when it is empty or a full 1 MiB; closing also closes the sink.
 */
final class SecretStreamOutputStream extends SecureTar.SecureTarOutput {
  private final SecretStream stream;
  private final byte[] plain = new byte[SecretStream.MAX_CHUNK];
  private final byte[] sealed = new byte[SecretStream.MAX_CHUNK + SecretStream.OVERHEAD];
  private int filled;
  private long plaintextSize;
  private boolean closed;

  SecretStreamOutputStream(OutputStream out, byte[] header, SecretStream stream,
      byte[] digestKey) throws IOException {
    super(out, digestKey);
    this.stream = stream;
    out.write(header);
  }

  @Override
  public long plaintextSize() {
    return plaintextSize;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("SecureTar v3 stream is closed");
    }
    while (len > 0) {
      if (filled == SecretStream.MAX_CHUNK) {
        seal(SecretStream.TAG_MESSAGE);
      }
      int n = Math.min(len, SecretStream.MAX_CHUNK - filled);
      System.arraycopy(b, off, plain, filled, n);
      filled += n;
      plaintextSize += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      seal(SecretStream.TAG_FINAL);
    } finally {
      out.close();
    }
  }

  private void seal(byte tag) throws IOException {
    stream.push(plain, 0, filled, tag, sealed, 0);
    out.write(sealed, 0, filled + SecretStream.OVERHEAD);
    filled = 0;
  }

  @Override
  public String toString() {
    return "SecureTarV3(" + out + ")";
  }
}
