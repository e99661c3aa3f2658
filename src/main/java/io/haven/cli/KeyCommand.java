package io.haven.cli;

import io.haven.agent.BackupKeys;
import io.haven.agent.Service;
import io.haven.failure.ExitCode;
import io.haven.key.BackupKey;
import io.haven.key.EmergencyKit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code haven key}: the backup encryption key (Home Assistant's form) that automatic backups and
 * offsite copies are encrypted with: show it, change it, write the emergency kit, or keep Home
 * Assistant's own key so its backups open too.
 */
@Command(name = "key", description = "Show or change the backup encryption key and write the"
    + " emergency kit.",
    subcommands = {KeyCommand.Show.class, KeyCommand.New.class, KeyCommand.Kit.class,
        KeyCommand.Add.class})
final class KeyCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return Show.print(keys(), spec.commandLine().getOut());
  }

  BackupKeys keys() throws Exception {
    return new BackupKeys(haven.config(), Clock.systemUTC());
  }

  @Command(name = "show", description = "Show the key and where it is kept.")
  static final class Show implements Callable<Integer> {
    @ParentCommand KeyCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return print(parent.keys(), spec.commandLine().getOut());
    }

    static int print(BackupKeys keys, PrintWriter out) throws Exception {
      List<BackupKey> all = keys.all();
      out.println("Backup encryption key: " + all.get(0).value());
      out.println("Kept in " + keys.file() + olderKeys(all.size() - 1) + ".");
      out.println("Keep a copy away from this device: haven key kit");
      return ExitCode.OK;
    }
  }

  @Command(name = "new", description = "Make a new key; the old ones are kept, so older backups"
      + " still restore.")
  static final class New implements Callable<Integer> {
    @ParentCommand KeyCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      BackupKeys keys = parent.keys();
      BackupKey key = keys.renew();
      PrintWriter out = spec.commandLine().getOut();
      out.println("New backup encryption key: " + key.value());
      out.println("Backups from now on are encrypted with it. The " + kept(keys.all().size() - 1)
          + " in " + keys.file() + ", so backups made with the old ones still restore.");
      out.println("Write a new emergency kit: haven key kit");
      return ExitCode.OK;
    }
  }

  @Command(name = "kit", description = "Write the emergency kit: the key, the date, the device"
      + " and how to restore, in a file only you can read.")
  static final class Kit implements Callable<Integer> {
    @ParentCommand KeyCommand parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
        description = "Where to write it (default: haven_backup_emergency_kit_DATE.txt here)."
            + " An existing file is never overwritten.")
    Path file;

    @Override
    public Integer call() throws Exception {
      Clock clock = Clock.systemUTC();
      ZoneId zone = ZoneId.systemDefault();
      Path target = file != null ? file
          : Path.of(EmergencyKit.fileName(clock.instant(), zone)).toAbsolutePath();
      Service service = parent.haven.service();
      EmergencyKit.write(target, parent.keys().all(), service.device().board().model(),
          clock.instant(), zone);
      spec.commandLine().getOut().println("Wrote the emergency kit to " + target + " (only you"
          + " can read it). Print it or keep it in a password manager, then delete the file.");
      return ExitCode.OK;
    }
  }

  @Command(name = "add", description = "Keep another key, such as Home Assistant's own, so the"
      + " backups it encrypted open without a password.")
  static final class Add implements Callable<Integer> {
    @ParentCommand KeyCommand parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key, as in the emergency kit"
        + " (seven groups of four, joined with '-').")
    String key;
    @Option(names = "--current", description = "Also encrypt new backups with it.")
    boolean current;

    @Override
    public Integer call() throws Exception {
      BackupKeys keys = parent.keys();
      boolean added = keys.add(key, current);
      PrintWriter out = spec.commandLine().getOut();
      if (!added) {
        out.println("That key is kept already in " + keys.file() + ".");
      } else if (current) {
        out.println("Backups from now on are encrypted with this key; the "
            + kept(keys.all().size() - 1) + ". Write a new emergency kit: haven key kit");
      } else {
        out.println("Kept the key in " + keys.file() + ": backups it encrypted now open without"
            + " a password. New backups still use the key 'haven key show' shows.");
      }
      return ExitCode.OK;
    }
  }

  private static String olderKeys(int older) {
    return older == 0 ? "" : ", with " + count(older) + " for older backups";
  }

  private static String count(int older) {
    return older == 1 ? "one older key" : older + " older keys";
  }

  private static String kept(int older) {
    return older == 1 ? "older key is kept" : older + " older keys are kept";
  }
}
