package io.haven.device;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread, so that a scheduled backup yields the CPU to Home
 * Assistant on a busy device. On Linux the nice value belongs to each thread, and the threads it
 * starts afterwards (compression, hashing, encryption) inherit it; the I/O schedulers that honour
 * priorities (BFQ) derive the thread's disk priority from it too. Where it cannot be changed the
 * backup runs at normal priority and the reason is logged, never thrown.
 */
public final class ThreadPriority {
  /** Low enough to give way to Home Assistant, not so low that a busy device starves it. */
  public static final int LOW_NICE = 10;
  private static final int PRIO_PROCESS = 0;
  private static final Logger LOG = LoggerFactory.getLogger(ThreadPriority.class);

  /** The calls needed from the C library (glibc 2.30 and later has gettid). */
  interface LibC extends Library {
    int gettid();

    int setpriority(int which, int who, int prio);
  }

  private ThreadPriority() {}

  /** Sets the calling thread's nice value to {@link #LOW_NICE}; false when that failed. */
  public static boolean lowerCurrentThread() {
    try {
      LibC libc = Native.load("c", LibC.class);
      // PRIO_PROCESS with a thread id changes that one thread on Linux.
      if (libc.setpriority(PRIO_PROCESS, libc.gettid(), LOW_NICE) != 0) {
        LOG.warn("Could not lower the backup's priority (setpriority: errno {}); it runs at normal"
            + " priority.", Native.getLastError());
        return false;
      }
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn("Could not lower the backup's priority ({}); it runs at normal priority.",
          e.getMessage());
      return false;
    }
  }
}
