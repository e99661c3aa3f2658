package io.haven.restic;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * restic's lock protocol: a file under {@code locks/} saying who holds the repository and how.
 * Any number of shared locks (backup, restore, check) may coexist; an exclusive one (prune,
 * forget) excludes all others. A lock older than 30 minutes, or one whose process is gone from
 * this host, is stale and ignored. A held lock is renewed every 5 minutes, as restic does.
 */
public final class Lock implements Closeable {
  static final Duration STALE = Duration.ofMinutes(30);
  static final Duration REFRESH = Duration.ofMinutes(5);
  /** After writing a lock, restic looks again this much later for one that raced it. */
  static final Duration SETTLE = Duration.ofMillis(200);

  record LockFile(String time, boolean exclusive, String hostname, String username, long pid,
      Integer uid, Integer gid) {}

  private final Repository repo;
  private final boolean exclusive;
  private final ScheduledExecutorService refresher;
  private volatile Id current;

  private Lock(Repository repo, boolean exclusive, Id first) {
    this.repo = repo;
    this.exclusive = exclusive;
    this.current = first;
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "restic-lock-refresh");
      t.setDaemon(true);
      return t;
    });
    refresher.scheduleAtFixedRate(this::refresh, REFRESH.toSeconds(), REFRESH.toSeconds(),
        TimeUnit.SECONDS);
  }

  /**
   * Takes a shared or an exclusive lock.
   *
   * @throws RepositoryLocked naming who holds a conflicting lock
   */
  public static Lock acquire(Repository repo, boolean exclusive) throws IOException {
    checkConflicts(repo, exclusive, null);
    Id mine = write(repo, exclusive);
    try {
      Thread.sleep(SETTLE.toMillis());
      checkConflicts(repo, exclusive, mine);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      repo.storage().delete("locks/" + mine);
      throw new java.io.InterruptedIOException("interrupted while locking " + repo.describe());
    } catch (IOException e) {
      repo.storage().delete("locks/" + mine);
      throw e;
    }
    return new Lock(repo, exclusive, mine);
  }

  private static Id write(Repository repo, boolean exclusive) throws IOException {
    LockFile f = new LockFile(Instant.now().toString(), exclusive, Repository.host(),
        Repository.user(), ProcessHandle.current().pid(), null, null);
    return repo.saveUnpacked("locks", Json.write(f));
  }

  private static void checkConflicts(Repository repo, boolean exclusive, Id mine)
      throws IOException {
    for (Storage.Entry e : repo.storage().list("locks")) {
      String id = e.name().substring(e.name().lastIndexOf('/') + 1);
      if (mine != null && id.equals(mine.toString())) {
        continue;
      }
      LockFile other;
      try {
        other = Json.read(repo.loadUnpacked(e.name()), LockFile.class, e.name());
      } catch (IOException gone) {
        continue; // removed while we looked, or unreadable: restic ignores it as well
      }
      if (stale(other)) {
        if (deadHere(other)) {
          // Left by a process of this machine that was killed: as `restic unlock` would.
          repo.storage().delete(e.name());
        }
        continue;
      }
      if (exclusive || other.exclusive()) {
        throw new RepositoryLocked("The repository at " + repo.describe() + " is in use: "
            + (other.exclusive() ? "an exclusive" : "a") + " lock is held by process "
            + other.pid() + " on " + other.hostname() + " since " + other.time() + "."
            + " Wait until it is done and try again.");
      }
    }
  }

  static boolean stale(LockFile l) {
    Instant t;
    try {
      t = OffsetDateTime.parse(l.time()).toInstant();
    } catch (RuntimeException e) {
      return true;
    }
    if (t.plus(STALE).isBefore(Instant.now())) {
      return true;
    }
    return deadHere(l);
  }

  private static boolean deadHere(LockFile l) {
    return Repository.host().equals(l.hostname())
        && ProcessHandle.of(l.pid()).map(p -> !p.isAlive()).orElse(true);
  }

  // A new lock file first, then the old one removed: there is never a moment without a lock.
  private void refresh() {
    try {
      Id fresh = write(repo, exclusive);
      Id old = current;
      current = fresh;
      repo.storage().delete("locks/" + old);
    } catch (IOException e) {
      // Kept trying every 5 minutes; the old lock still stands until it is 30 minutes old.
    }
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    repo.storage().delete("locks/" + current);
  }
}
