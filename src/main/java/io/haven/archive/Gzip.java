package io.haven.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.anarres.parallelgzip.ParallelGZIPOutputStream;

/** gzip for parts: the one reader every gzip part goes through, and the writer for two cores. */
final class Gzip {
  private Gzip() {}

  /**
   * A gzip reader that also opens parts written by old SecureTar v1 writers (padding inside the
   * gzip trailer); see {@link TolerantGzipInputStream}. Closing it closes {@code in}.
   *
   * @param what names the archive and part for messages
   */
  static InputStream tolerantInput(InputStream in, String what) {
    return new TolerantGzipInputStream(in, what);
  }

  /**
   * A gzip writer that deflates 64 KiB blocks on {@code workers} threads, as pigz does: one gzip
   * member that every gzip reader reads, about 1 % larger than one deflate stream since no block
   * starts from the one before. Level 6, as Home Assistant writes. Closing it finishes the
   * member, closes {@code out} and stops the threads.
   */
  static OutputStream parallelOutput(OutputStream out, int workers) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "haven-gzip");
      t.setDaemon(true);
      return t;
    });
    try {
      return new ParallelGZIPOutputStream(out, pool) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            pool.shutdownNow();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
  }
}
