package io.haven.cli;

import io.haven.agent.Service;
import io.haven.agent.Verbs;
import io.haven.api.AgentClient;
import io.haven.config.Config;
import io.haven.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code haven}: the top-level command and the options every verb shares. */
@Command(
    name = "haven",
    // Every verb below answers --help and -h (and --version), as the top-level command does.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Backup, restore and migration for home-automation appliances.",
    subcommands = {BackupsCommand.class, VerifyCommand.class, InfoCommand.class,
        AgentCommand.class, DeviceCommand.class, ExportCommand.class, ImportCommand.class,
        EstimateCommand.class, LsCommand.class, RestoreFileCommand.class, LocationsCommand.class,
        PreflightCommand.class, KeyCommand.class, HelpCommand.class})
final class HavenCommand {
  @Spec CommandSpec spec;
  private boolean warned;

  @Option(names = "--config", description = "Config file (default: $HAVEN_CONFIG,"
      + " /etc/haven/haven.yaml if present, else ./haven-data/).")
  Path config;

  /**
   * The {@code haven} command above {@code spec}, for verbs that sit both at the top level and
   * under {@code backups} (verify, ls, preflight, import, estimate): one class, registered twice.
   */
  static HavenCommand above(CommandSpec spec) {
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      if (s.userObject() instanceof HavenCommand) {
        return (HavenCommand) s.userObject();
      }
    }
    throw new IllegalStateException(spec.qualifiedName() + " is not below 'haven'");
  }

  /** The config file the agent reads, and the web panel's settings change. */
  Optional<Path> configFile() {
    return Config.fileOf(Optional.ofNullable(config), System.getenv());
  }

  Config config() throws ConfigException {
    Config c = Config.load(Optional.ofNullable(config), System.getenv(),
        Path.of("").toAbsolutePath());
    if (!warned) { // a verb may read the config more than once: say it once
      warned = true;
      c.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    }
    return c;
  }

  /** The service in this process, for what only reads or needs this device. */
  Service service() throws ConfigException {
    return new Service(config(), Clock.systemUTC(), Version.current());
  }

  /**
   * Where the verbs that change things run: the agent, over its socket, when one listens; else
   * this process. The one place that decides, so every verb prints the same either way.
   */
  Verbs verbs() throws ConfigException {
    Config c = config();
    Optional<AgentClient> agent = AgentClient.connect(c.socket(), c.backupDir());
    if (agent.isPresent()) {
      return agent.get();
    }
    return new Service(c, Clock.systemUTC(), Version.current());
  }
}
