package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.testing.GenData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process with its output captured. */
class BackupsCommandTest {
  @TempDir Path tmp;
  String out;
  String err;

  int run(String... args) throws Exception {
    Path config = tmp.resolve("haven.yaml");
    if (!Files.exists(config)) {
      Files.writeString(config, "data_root: root\nbackup_dir: backup\n");
    }
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = Main.execute(all, new PrintWriter(o, true), new PrintWriter(e, true));
    out = o.toString();
    err = e.toString();
    return code;
  }

  @Test
  void newListInfoRestoreRemove() throws Exception {
    GenData.copyTo(tmp.resolve("root"), 4);
    assertEquals(0, run("backups", "new", "--name", "nightly", "--password", "pw"), err);
    String slug = out.trim();
    assertTrue(slug.matches("[0-9a-f]{8}"), out);

    assertEquals(0, run("backups", "--raw-json"), err);
    JsonNode list = new ObjectMapper().readTree(out);
    assertEquals("ok", list.get("result").asText());
    JsonNode item = list.at("/data/backups/0");
    assertEquals(slug, item.get("slug").asText());
    assertEquals("nightly", item.get("name").asText());
    assertTrue(item.get("protected").asBoolean());
    assertTrue(item.at("/content/homeassistant").asBoolean());

    assertEquals(0, run("backups", "info", slug), err);
    assertTrue(out.contains("name:          nightly"), out);

    assertEquals(11, run("backups", "restore", slug, "--password", "nope"));
    assertTrue(err.startsWith("error: Wrong password for backup '" + slug + "'"), err);
    assertTrue(!err.contains("Preflight"), "the password is checked before the preflight");
    assertEquals(11, run("backups", "restore", slug, "-f", "ssl"));
    assertTrue(err.contains("is protected: give its password"), err);

    Files.writeString(tmp.resolve("root/ssl/fullchain.pem"), "changed");
    assertEquals(0, run("backups", "restore", slug, "-f", "ssl", "--password", "pw"), err);
    assertTrue(Files.readString(tmp.resolve("root/ssl/fullchain.pem")).startsWith("-----BEGIN"));

    assertEquals(0, run("verify", slug, "--password", "pw"), err);
    assertTrue(out.contains(": intact"), out);

    assertEquals(0, run("backups", "remove", slug, "--yes"), err);
    assertEquals(4, run("backups", "info", slug));
    assertEquals("error: No backup '" + slug + "' in " + tmp.resolve("backup")
        + ". Run 'haven backups list' to see the slugs.\n", err);
  }

  @Test
  void backupDirInsideAPartIsRefused() throws Exception {
    Files.writeString(tmp.resolve("haven.yaml"), "data_root: root\nbackup_dir: root/share/bk\n");
    assertEquals(7, run("backups", "new"));
    assertTrue(err.contains("so a restore would replace it"), err);
  }

  @Test
  void badInputGetsUsageErrors() throws Exception {
    assertEquals(2, run("backups", "new", "-f", "photos"));
    assertTrue(err.contains("unknown folder 'photos'"), err);
    assertEquals(2, run("backups", "new", "--compression", "lz4"));
    assertEquals(10, run("verify", Files.writeString(tmp.resolve("junk.tar"), "junk").toString()));
    assertTrue(err.contains("'junk.tar' is not a backup"), err);
  }
}
