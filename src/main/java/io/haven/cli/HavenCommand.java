package io.haven.cli;

import io.haven.config.Config;
import io.haven.config.ConfigException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code haven}: the top-level command and the options every verb shares. */
@Command(
    name = "haven",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Backup, restore and migration for home-automation appliances.",
    subcommands = {BackupsCommand.class, VerifyCommand.class, InfoCommand.class,
        AgentCommand.class, DeviceCommand.class, ExportCommand.class, LsCommand.class,
        RestoreFileCommand.class, LocationsCommand.class})
final class HavenCommand {
  @Option(names = "--config", description = "Config file (default: $HAVEN_CONFIG,"
      + " /etc/haven/haven.yaml if present, else ./haven-data/).")
  Path config;

  Config config() throws ConfigException {
    return Config.load(Optional.ofNullable(config), System.getenv(), Path.of("").toAbsolutePath());
  }
}
