package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.testing.GenData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's conventions: help, option names, usage failures, bugs, JSON errors. */
class CommandLineTest {
  @TempDir Path tmp;

  private Cli cli() throws Exception {
    return new Cli(tmp, tmp.resolve("root"));
  }

  private Cli withBackupData() throws Exception {
    GenData.copyTo(tmp.resolve("root"), 2);
    return cli();
  }

  /** Every command's words after {@code haven}, depth first. */
  private static List<List<String>> everyVerb() {
    List<List<String>> all = new ArrayList<>();
    collect(new CommandLine(new HavenCommand()), new ArrayList<>(), all);
    return all;
  }

  private static void collect(CommandLine c, List<String> path, List<List<String>> all) {
    all.add(path);
    c.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName()) && !name.equals("help")) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        collect(sub, p, all);
      }
    });
  }

  @Test
  void everyVerbAnswersHelpAndDashH() throws Exception {
    Cli cli = cli();
    List<List<String>> verbs = everyVerb();
    assertTrue(verbs.size() > 25, "found " + verbs);
    for (List<String> verb : verbs) {
      for (String help : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(verb);
        args.add(help);
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), args + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: haven" + (verb.isEmpty() ? "" : " "
            + String.join(" ", verb))), args + ": " + r.out());
      }
    }
  }

  @Test
  void helpVerbShowsAVerbsHelp() throws Exception {
    Cli.Run r = cli().run("help", "backups").ok();
    assertTrue(r.out().startsWith("Usage: haven backups"), r.out());
    assertTrue(r.out().contains("restore"), r.out());
    Cli.Run n = cli().run("backups", "help", "new").ok();
    assertTrue(n.out().startsWith("Usage: haven backups new"), n.out());
  }

  @Test
  void topLevelHelpListsImportAndEstimate() throws Exception {
    String help = cli().run("--help").ok().out();
    for (String verb : List.of("backups", "verify", "info", "ls", "export", "import", "estimate",
        "restore-file", "locations", "preflight", "device", "agent", "help")) {
      assertTrue(help.contains("\n  " + verb + " ") || help.contains("\n  " + verb + ","),
          verb + " in " + help);
    }
  }

  @Test
  void dashLIsLocationInEveryVerb() {
    List<String> seen = new ArrayList<>();
    checkDashL(new CommandLine(new HavenCommand()), seen);
    assertTrue(seen.size() >= 4, "verbs with -l: " + seen);
  }

  private static void checkDashL(CommandLine c, List<String> seen) {
    OptionSpec l = c.getCommandSpec().findOption("-l");
    if (l != null) {
      assertTrue(List.of(l.names()).contains("--location"),
          c.getCommandSpec().qualifiedName() + ": -l is " + List.of(l.names()));
      seen.add(c.getCommandSpec().qualifiedName());
    }
    c.getSubcommands().values().forEach(s -> checkDashL(s, seen));
  }

  @Test
  void aBarePasswordSaysWhatIsMissingWithoutTheWholeUsage() throws Exception {
    Cli.Run r = cli().run("backups", "new", "--password");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: --password needs the password after it, and there is"
        + " no terminal to ask on."), r.err());
    assertFalse(r.err().contains("Usage:"), r.err());
    assertEquals(2, r.err().lines().count(), r.err());
  }

  @Test
  void aMistypedVerbIsAnsweredWithTheNearestOne() throws Exception {
    Cli.Run r = cli().run("backups", "lst");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: Unmatched argument"), r.err());
    assertTrue(r.err().contains("Did you mean: backups ls or backups list"), r.err());
    assertFalse(r.err().contains("Usage:"), r.err());
  }

  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalArgumentException("an invariant broke");
    }
  }

  @Test
  void anIllegalArgumentExceptionIsABugNotAUsageError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new CommandLine(new Broken()), new String[0],
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("error: unexpected failure; this is a bug in Haven."
        + " Please report it"), err.toString());
    assertTrue(err.toString().contains("IllegalArgumentException: an invariant broke"));
  }

  @Test
  void importOfAMissingFileSaysSoWithoutAStack() throws Exception {
    Cli.Run r = cli().run("backups", "import", tmp.resolve("no/such.tar").toString());
    assertEquals(4, r.code());
    assertEquals("error: There is no backup file " + tmp.resolve("no/such.tar") + "; nothing"
        + " was imported. Check the path.\n", r.err());
  }

  @Test
  void exportOntoAnExistingFileSaysSoAndImportOfAPresentBackupExitsTwo() throws Exception {
    Cli cli = withBackupData();
    String slug = cli.run("backups", "new", "-f", "ssl").ok().out().trim();
    Path existing = Files.writeString(tmp.resolve("existing.tar"), "mine");
    Cli.Run r = cli.run("export", slug, existing.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("error: " + existing + " already exists; nothing was written. Choose another"
        + " file name, or remove that file first.\n", r.err());
    assertEquals("mine", Files.readString(existing));

    Cli.Run again = cli.run("backups", "import", cli.backupDir.resolve(slug + ".tar").toString());
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().startsWith("error: Backup '" + slug + "'"), again.err());
    assertEquals(1, again.err().lines().count(), again.err());
  }

  @Test
  void rawJsonFailuresAreTheSupervisorsErrorEnvelope() throws Exception {
    Cli.Run r = cli().run("backups", "info", "nosuch", "--raw-json");
    assertEquals(4, r.code());
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertEquals("error", o.get("result").asText());
    assertTrue(o.get("message").asText().startsWith("No backup 'nosuch'"), r.out());
    assertEquals("NotFound", o.get("type").asText());

    Cli.Run usage = cli().run("backups", "new", "--raw-json", "--no-such-option");
    assertEquals(2, usage.code());
    JsonNode u = new ObjectMapper().readTree(usage.out());
    assertEquals("error", u.get("result").asText());
    assertEquals("Usage", u.get("type").asText());
  }

  @Test
  void listDatesShowTheirTimeZone() throws Exception {
    Cli cli = withBackupData();
    cli.run("backups", "new", "-f", "ssl").ok();
    String table = cli.run("backups", "list").ok().out();
    assertTrue(table.lines().skip(1).findFirst().orElseThrow()
        .matches("[0-9a-f]{8}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d [+-]\\d\\d:\\d\\d  .*"), table);
  }

  @Test
  void removeAsksAndWithoutATerminalNeedsYes() throws Exception {
    Cli cli = withBackupData();
    String slug = cli.run("backups", "new", "-f", "ssl").ok().out().trim();
    Cli.Run refused = cli.run("backups", "remove", slug);
    assertEquals(2, refused.code());
    assertTrue(refused.err().startsWith("error: deleting backup " + slug + " asks first, and"
        + " there is no terminal to ask on; add --yes"), refused.err());
    assertTrue(Files.exists(cli.backupDir.resolve(slug + ".tar")));
    cli.run("backups", "remove", slug, "--yes").ok();
    assertFalse(Files.exists(cli.backupDir.resolve(slug + ".tar")));
  }

  @Test
  void restoreTakesABackupFileAndNamesPartsInOrder() throws Exception {
    Cli cli = withBackupData();
    String slug = cli.run("backups", "new", "--password", "pw").ok().out().trim();
    Path elsewhere = Files.move(cli.backupDir.resolve(slug + ".tar"), tmp.resolve("moved.tar"));
    Files.writeString(cli.root.resolve("ssl/fullchain.pem"), "changed");
    Cli.Run r = cli.run("backups", "restore", elsewhere.toString(), "-f", "ssl", "-f", "share",
        "--homeassistant", "--password", "pw").ok();
    assertEquals("Restored homeassistant, share, ssl from " + elsewhere + " (", r.out()
        .substring(0, r.out().indexOf('(') + 1));
    assertTrue(Files.readString(cli.root.resolve("ssl/fullchain.pem")).startsWith("-----BEGIN"));
  }

  @Test
  void passwordComesFromAFile() throws Exception {
    Cli cli = withBackupData();
    Path file = Files.writeString(tmp.resolve("pw.txt"), "from a file\n");
    String slug = cli.run("backups", "new", "-f", "ssl", "--password-file", file.toString())
        .ok().out().trim();
    assertEquals(11, cli.run("verify", slug).code(), "protected");
    cli.run("verify", slug, "--password", "from a file").ok();
    cli.run("ls", slug, "--password-file", file.toString()).ok();
    Cli.Run missing = cli.run("verify", slug, "--password-file", tmp.resolve("none").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("error: there is no password file "), missing.err());
  }

  @Test
  void verifyAllNamesAndCountsWhatItCouldNotRead() throws Exception {
    Cli cli = withBackupData();
    cli.run("backups", "new", "-f", "ssl").ok();
    Files.writeString(cli.backupDir.resolve("broken.tar"), "not a backup");
    Cli.Run r = cli.run("verify", "--all");
    assertEquals(10, r.code(), r.err());
    assertTrue(r.out().contains("broken.tar: "), r.out());
    assertTrue(r.out().contains("1 backup checked: all intact; 1 file could not be read as a"
        + " backup (named above)."), r.out());
  }
}
