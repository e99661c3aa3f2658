package io.haven.restic;

import io.haven.location.IoConsumer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A storage that hands every call to another; a subclass changes the calls it is for. */
abstract class ForwardingStorage implements Storage {
  protected final Storage storage;

  ForwardingStorage(Storage storage) {
    this.storage = storage;
  }

  @Override
  public void put(String name, byte[] bytes) throws IOException {
    storage.put(name, bytes);
  }

  @Override
  public void put(String name, Path file) throws IOException {
    storage.put(name, file);
  }

  @Override
  public byte[] get(String name) throws IOException {
    return storage.get(name);
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    return storage.readUpTo(name, offset, most);
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    storage.list(dir, each);
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    return storage.list(dir);
  }

  @Override
  public void delete(String name) throws IOException {
    storage.delete(name);
  }

  @Override
  public boolean exists(String name) throws IOException {
    return storage.exists(name);
  }

  @Override
  public void createLayout() throws IOException {
    storage.createLayout();
  }

  @Override
  public String describe() {
    return storage.describe();
  }

  @Override
  public void close() throws IOException {
    storage.close();
  }
}
