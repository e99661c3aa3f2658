package io.haven.cli;

import io.haven.failure.Sizes;
import io.haven.tree.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on a terminal: stage, bytes done of total, MB/s and time left. */
final class TerminalProgress implements Progress {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private final long started = System.nanoTime();
  private String stage = "";
  private long total;
  private long done;
  private long lastDraw;

  /** Draws only when stderr is a terminal: logs and pipes stay clean. */
  TerminalProgress(PrintWriter err) {
    this.err = err;
    this.enabled = System.console() != null;
  }

  @Override
  public void stage(String s) {
    stage = s;
    draw(true);
  }

  @Override
  public void total(long bytes) {
    total = bytes;
  }

  @Override
  public void advance(long bytes) {
    done += bytes;
    draw(false);
  }

  private void draw(boolean force) {
    long now = System.nanoTime();
    if (!enabled || (!force && now - lastDraw < REDRAW_NANOS)) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    double rate = done / seconds;
    String eta = rate > 0 && total > done
        ? String.format(Locale.ROOT, "%ds left", (long) ((total - done) / rate)) : "";
    int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
    String bar = "#".repeat(percent / 5) + ".".repeat(20 - percent / 5);
    err.printf(Locale.ROOT, "\r%-15s [%s] %3d%% %s / %s  %.1f MB/s  %s   ", stage, bar, percent,
        Sizes.human(done), Sizes.human(total), rate / 1e6, eta);
    err.flush();
  }

  /** Ends the line, so the next output starts clean. */
  void finish() {
    if (enabled) {
      err.println();
    }
  }
}
