package io.haven.cli;

import io.haven.failure.ExitCode;
import io.haven.store.BackupStore;
import io.haven.store.JobLock;
import io.haven.store.StoreException;
import io.haven.store.StoredBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code haven backups import}: a Home Assistant backup file into the backup directory. */
@Command(name = "import", description = "Copy a Home Assistant backup (any version, protected or"
    + " not) into the backup directory as <slug>.tar, after reading it through; a file that is"
    + " not a good backup is refused and nothing is kept.")
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;

  @Parameters(paramLabel = "FILE", description = "The backup file (.tar).")
  Path file;

  /** With a password, the parts are read and checked to the end. */
  @Mixin PasswordOptions password;

  @Option(names = "--key", paramLabel = "HEX", description = "A raw 16-byte v1 key.")
  String key;

  @Override
  public Integer call() throws Exception {
    Path dir = HavenCommand.above(spec).config().backupDir();
    if (!Files.isRegularFile(file)) {
      throw new StoreException.NotFound("There is no backup file " + file + "; nothing was"
          + " imported. Check the path.");
    }
    var secret = ArchiveArgument.secret(password, key, spec);
    StoredBackup b;
    String job = "job " + UUID.randomUUID().toString().replace("-", "")
        + " (backup_manager_import_backup)";
    try (JobLock lock = JobLock.acquire(dir, job)) {
      b = new BackupStore(dir).importFile(file, secret);
    }
    if (output.json) {
      output.printJson(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
          .put("slug", b.slug()));
      return ExitCode.OK;
    }
    output.out().println(b.slug());
    if (b.metadata().isProtected() && secret.isEmpty()) {
      output.err().println("note: " + b.slug() + " is protected and no password was given, so"
          + " its parts were not read; run 'haven verify " + b.slug() + " --password'.");
    }
    return ExitCode.OK;
  }
}
