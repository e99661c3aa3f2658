package io.haven.cli;

import io.haven.agent.BadRequest;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupMetadata;
import io.haven.archive.BackupSource;
import io.haven.archive.BackupWriter;
import io.haven.archive.Compression;
import io.haven.archive.Exporter;
import io.haven.archive.Secret;
import io.haven.archive.SecureTar;
import io.haven.failure.ExitCode;
import io.haven.location.IoFunction;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code haven export}: rewrites a backup into another form, streaming. */
@Command(name = "export", description = "Write a backup again in another form, e.g. Haven's fast"
    + " zstd/v3 form as one Home Assistant restores (--compat). Streams part by part; nothing is"
    + " unpacked to disk. The output is read back and checked before it gets its name.")
final class ExportCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "A backup file, or a slug.")
  String archive;

  @Option(names = {"-l", "--location", "--from"}, paramLabel = "NAME", description = "Export"
      + " the backup SLUG that this location (a restic repository) holds, built from its"
      + " snapshot as it is read.")
  String location;

  @Parameters(index = "1", paramLabel = "OUT.tar", description = "The file to write (new).")
  Path out;

  @Option(names = "--compat", description = "What Home Assistant restores: gzip parts,"
      + " SecureTar v2 unless --encryption v3 (Supervisor >= 2026.03).")
  boolean compat;

  @Option(names = "--compression", paramLabel = "zstd|gzip|none",
      description = "Part compression (default: zstd, or gzip with --compat).")
  String compression;

  @Option(names = "--encryption", paramLabel = "v2|v3|none", description = "SecureTar version of"
      + " the output (default: v3, or v2 with --compat, when there is a password; none without).")
  String encryption;

  /** Opens ARCHIVE. */
  @Mixin PasswordOptions password;

  @Option(names = "--key", paramLabel = "HEX", description = "ARCHIVE's raw 16-byte v1 key.")
  String key;

  @Option(names = "--new-password", arity = "0..1", fallbackValue = PasswordOptions.ASK,
      paramLabel = "PASSWORD",
      description = "Protect the output with this password (default: the password of ARCHIVE);"
          + " alone, it is asked for twice on the terminal.")
  String newPassword;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out)) {
      throw exists();
    }
    Optional<Secret> secret = ArchiveArgument.secret(password, key, spec);
    Optional<Secret.Password> outPassword = PasswordOptions.given(newPassword, "--new-password", true, spec)
        .or(() -> secret.filter(s -> s instanceof Secret.Password).map(s -> (Secret.Password) s));
    Optional<SecureTar.Version> version = version(outPassword.isPresent());
    if (version.isPresent() && outPassword.isEmpty()) {
      throw Usage.error(spec, "--encryption " + encryption + " needs a password:"
          + " give --new-password");
    }
    Optional<SecureTar.Writer> writer = version.map(v -> SecureTar.writer(v, outPassword.get()));
    BackupWriter.Options options = new BackupWriter.Options(compression(), writer,
        haven.config().compressionWorkers());
    Optional<Secret> check = writer.isPresent() ? outPassword.map(p -> (Secret) p)
        : Optional.empty();
    IoFunction<BackupSource, BackupMetadata> export = source -> Exporter.export(source, secret,
        out.toAbsolutePath(), options, check, Version.current(), Instant.now());
    BackupMetadata written;
    try {
      if (location != null) {
        written = haven.service().offsite().read(location, archive, export);
      } else {
        try (BackupArchive source = BackupArchive.open(ArchiveArgument.resolve(archive, haven))) {
          written = export.apply(source);
        }
      }
    } catch (FileAlreadyExistsException e) {
      throw exists(); // made while the backup was read
    }
    output.out().println("Exported " + written.slug() + " to " + out + " ("
        + compression() + ", " + version.map(v -> "SecureTar " + v.name().toLowerCase())
            .orElse("not encrypted") + ").");
    return ExitCode.OK;
  }

  private BadRequest exists() {
    return new BadRequest(out + " already exists; nothing was written. Choose another file"
        + " name, or remove that file first.");
  }


  private Compression compression() {
    if (compression != null) {
      return Usage.parse(spec, "--compression", () -> Compression.parse(compression));
    }
    return compat ? Compression.GZIP : Compression.ZSTD;
  }

  private Optional<SecureTar.Version> version(boolean havePassword) {
    if (encryption == null) {
      return havePassword ? Optional.of(compat ? SecureTar.Version.V2 : SecureTar.Version.V3)
          : Optional.empty();
    }
    switch (encryption.toLowerCase()) {
      case "none":
        return Optional.empty();
      case "v2":
        return Optional.of(SecureTar.Version.V2);
      case "v3":
        return Optional.of(SecureTar.Version.V3);
      default:
        throw Usage.error(spec, "unknown encryption '" + encryption + "': use v2, v3 or none");
    }
  }
}
