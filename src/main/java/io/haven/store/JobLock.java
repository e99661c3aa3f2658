package io.haven.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One backup or restore at a time, across the agent and any command run beside it: an OS lock on
 * {@code <backup dir>/.haven.lock}, which also names the job holding it. The OS releases the lock
 * when the process dies, so a kill never leaves Haven locked.
 */
public final class JobLock implements AutoCloseable {
  static final String FILE = ".haven.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private JobLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock for {@code job} ("job 3f2a… (backup_manager_full_backup)"), or fails Busy. */
  public static JobLock acquire(Path backupDir, String job) throws IOException {
    BackupStore.createDirectory(backupDir);
    FileChannel ch = FileChannel.open(backupDir.resolve(FILE), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // this very process holds it
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder = readHolder(ch);
      ch.close();
      throw new StoreException.Busy("busy: " + holder + " is running; wait for it to finish");
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(job.getBytes(StandardCharsets.UTF_8)), 0);
    return new JobLock(ch, lock);
  }

  private static String readHolder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(512);
    ch.read(b, 0);
    String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    return s.isEmpty() ? "another job" : s;
  }

  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
      lock.release();
    } finally {
      channel.close();
    }
  }
}
