package io.haven.agent;

import io.haven.device.StatusLed;
import io.haven.device.StatusLed.Status;

/**
 * The status LED following the jobs: idle with no job, working while one runs (backup, restore,
 * verify, upload, automatic cycle), error after a failed job until one succeeds, off when the
 * agent stops. The LED is told only when what it shows changes.
 */
final class JobLight implements AutoCloseable {
  private final StatusLed led;
  private Status shown; // guarded by this

  JobLight(StatusLed led) {
    this.led = led;
    show(Status.IDLE);
  }

  /** A job started a stage or ended. */
  void changed(Job job) {
    if (!job.ended()) {
      show(Status.WORKING);
    } else {
      show(job.failure().isPresent() ? Status.ERROR : Status.IDLE);
    }
  }

  private synchronized void show(Status status) {
    if (status != shown) {
      shown = status;
      led.show(status);
    }
  }

  /** Turns the LED off, then gives it back as it was found (a kernel trigger, say). */
  @Override
  public synchronized void close() {
    led.show(Status.OFF);
    led.close();
  }

  @Override
  public String toString() {
    return led.toString();
  }
}
