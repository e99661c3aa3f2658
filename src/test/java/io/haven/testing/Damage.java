package io.haven.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Damage done to a file on purpose, in place, as a bad disk or a cut copy would. */
public final class Damage {
  private Damage() {}

  /** Inverts every bit of the byte at {@code at}. */
  public static void flipByte(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      ch.write(one, at);
    }
  }

  /** Inverts the byte in the middle of {@code file}. */
  public static void flipMiddleByte(Path file) throws IOException {
    flipByte(file, java.nio.file.Files.size(file) / 2);
  }
}
