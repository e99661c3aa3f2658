package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadPriorityTest {
  /** The nice value of the calling thread, as the kernel reports it (field 19 of stat). */
  private static int niceOfThisThread() throws IOException {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[16]);
  }

  @Test
  void lowersTheCallingThreadAndTheThreadsItStartsButNoOther() throws Exception {
    int before = niceOfThisThread();
    AtomicInteger lowered = new AtomicInteger(Integer.MIN_VALUE);
    AtomicInteger child = new AtomicInteger(Integer.MIN_VALUE);
    Thread job = new Thread(() -> {
      try {
        assertTrue(ThreadPriority.lowerCurrentThread());
        lowered.set(niceOfThisThread());
        Thread worker = new Thread(() -> {
          try {
            child.set(niceOfThisThread());
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
        worker.start();
        worker.join();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    job.start();
    job.join();
    assertEquals(ThreadPriority.LOW_NICE, lowered.get());
    assertEquals(ThreadPriority.LOW_NICE, child.get(), "a thread the job starts inherits it");
    assertEquals(before, niceOfThisThread(), "the rest of the process keeps its priority");
  }
}
