package io.haven.location;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Wraps a real Location and breaks it on purpose, the way a network does: the n-th call fails
 * before it reaches the Location, or the next writes' streams break after some bytes. Every
 * failure is a {@link LocationException.Unreachable}, as a dropped connection would be.
 */
final class FaultyLocation implements Location {
  private final Location delegate;
  private int calls;
  private int failingCall = -1;
  private long cutAfterBytes = -1;
  private int cutsLeft;
  private int writes;

  FaultyLocation(Location delegate) {
    this.delegate = delegate;
  }

  /** The {@code n}-th call from now (1 = the next) fails without reaching the Location. */
  FaultyLocation failCall(int n) {
    failingCall = calls + n;
    return this;
  }

  /** The next {@code times} writes break after {@code bytes} bytes, as if the link dropped. */
  FaultyLocation cutWritesAfter(long bytes, int times) {
    cutAfterBytes = bytes;
    cutsLeft = times;
    return this;
  }

  /** How many times write was called, including failed ones. */
  int writes() {
    return writes;
  }

  private void call(String what) throws LocationException {
    if (++calls == failingCall) {
      throw new LocationException.Unreachable("injected failure of " + what + " on "
          + describe(), null);
    }
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    call("list");
    return delegate.list();
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    call("stat");
    return delegate.stat(name);
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    call("read");
    return delegate.read(name, reader);
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    call("write");
    writes++;
    if (cutsLeft <= 0) {
      delegate.write(name, writer);
      return;
    }
    cutsLeft--;
    delegate.write(name, out -> writer.accept(new CutAfter(out, cutAfterBytes)));
  }

  @Override
  public void delete(String name) throws IOException {
    call("delete");
    delegate.delete(name);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  /** Passes {@code limit} bytes, then fails every write as a dropped connection would. */
  private final class CutAfter extends FilterOutputStream {
    private long left;

    CutAfter(OutputStream out, long limit) {
      super(out);
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, left);
      out.write(b, off, n);
      left -= n;
      if (n < len) {
        throw new LocationException.Unreachable("injected: connection to " + describe()
            + " dropped", null);
      }
    }
  }
}
