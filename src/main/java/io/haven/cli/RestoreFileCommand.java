package io.haven.cli;

import io.haven.archive.BackupArchive;
import io.haven.failure.ExitCode;
import io.haven.restore.FileRestorer;
import io.haven.tree.DataRoot;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code haven restore-file}: one file or directory out of a backup, beside the live data. */
@Command(name = "restore-file", description = "Restore one file or directory from a backup into"
    + " a new directory (default: haven-restored-<slug>-<n> beside the data root), never over"
    + " existing files. PATH is written as 'haven ls' shows it: <part>/<name>.")
final class RestoreFileCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "A backup file, or a slug.")
  String archive;

  @Parameters(index = "1", paramLabel = "PATH",
      description = "e.g. homeassistant/data/configuration.yaml or share/notes")
  String path;

  @Option(names = "--to", paramLabel = "DIR", description = "Write into DIR instead.")
  Path to;

  @Mixin PasswordOptions password;

  @Option(names = "--key", paramLabel = "HEX", description = "A raw 16-byte v1 key.")
  String key;

  @Override
  public Integer call() throws Exception {
    FileRestorer.Result r;
    try (BackupArchive a = BackupArchive.open(ArchiveArgument.resolve(archive, haven))) {
      TerminalProgress progress = new TerminalProgress(output.err());
      r = new FileRestorer(new DataRoot(haven.config().dataRoot()), progress)
          .restore(a, ArchiveArgument.secret(password, key, spec), path, Optional.ofNullable(to));
      progress.finish();
    }
    output.out().println("Restored " + path + " to " + r.written() + " (" + r.entries()
        + (r.entries() == 1 ? " entry)." : " entries)."));
    return ExitCode.OK;
  }
}
