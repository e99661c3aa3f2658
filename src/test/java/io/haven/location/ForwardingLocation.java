package io.haven.location;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** Passes every call on; tests extend it to change one behaviour. */
public class ForwardingLocation implements Location {
  protected final Location delegate;

  public ForwardingLocation(Location delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    return delegate.list();
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    return delegate.stat(name);
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    return delegate.read(name, reader);
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    delegate.write(name, writer);
  }

  @Override
  public void delete(String name) throws IOException {
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
}
