package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean tar writer's output as three independent readers see it: Commons Compress (Haven's
 * restore), GNU tar and Python's tarfile (Home Assistant's), with every value that needs PAX.
 */
class TarWriterTest {
  static final String LONG_NAME = "data/" + "long-directory-name/".repeat(6) + "file.txt";
  static final String LONG_TARGET = "../".repeat(10) + "t".repeat(90);
  static final String UNICODE = "data/été-über-日本.txt";

  @TempDir Path tmp;
  Path tar;

  @BeforeEach
  void write() throws IOException {
    tar = tmp.resolve("t.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      TarWriter w = new TarWriter(out);
      w.directory("./", new TarWriter.Meta(0755, 0, 0, 1_700_000_000L));
      w.directory("data/", new TarWriter.Meta(0750, 1000, 1001, 1_700_000_001L));
      file(w, "data/a.txt", "hello", new TarWriter.Meta(0644, 1000, 1001, 1_700_000_002L));
      file(w, LONG_NAME, "long", new TarWriter.Meta(0600, 0, 0, 1_700_000_003L));
      file(w, UNICODE, "unicode", new TarWriter.Meta(0640, 0, 0, 1_700_000_004L));
      file(w, "data/big-ids", "", new TarWriter.Meta(0644, 3_000_000_000L, 2_500_000L, -5));
      w.symlink("data/l", "a.txt", new TarWriter.Meta(0777, 0, 0, 1_700_000_005L));
      w.symlink("data/far", LONG_TARGET, new TarWriter.Meta(0777, 0, 0, 1_700_000_006L));
      w.finish();
      assertEquals(4, w.files());
      assertEquals(16, w.fileBytes());
    }
  }

  private static void file(TarWriter w, String name, String content, TarWriter.Meta meta)
      throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    w.beginFile(name, meta, b.length);
    w.write(b, 0, b.length);
    w.endFile();
  }

  @Test
  void aStopAfterAFilesLastByteStillEndsOnAWholeRecord() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(out);
    w.beginFile("a.txt", new TarWriter.Meta(0644, 0, 0, 1_700_000_000L), 3);
    w.write(new byte[] {1, 2, 3}, 0, 3);
    w.finish(); // no endFile(): a job stopped here, and this used to pad for ever
    assertEquals(0, out.size() % 10240);
  }

  @Test
  void endsOnAWholeRecord() throws IOException {
    assertEquals(0, Files.size(tar) % (20 * 512));
  }

  @Test
  void commonsCompressReadsEveryValue() throws IOException {
    List<String> seen = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in, "UTF-8")) {
      for (TarArchiveEntry e; (e = t.getNextTarEntry()) != null; ) {
        seen.add(e.getName() + " " + Integer.toOctalString(e.getMode() & 07777) + " "
            + e.getLongUserId() + " " + e.getLongGroupId() + " "
            + e.getLastModifiedTime().toInstant().getEpochSecond() + " " + e.getSize() + " "
            + e.getLinkName());
        if (e.getName().equals(UNICODE)) {
          assertArrayEquals("unicode".getBytes(StandardCharsets.UTF_8), t.readAllBytes());
        }
      }
    }
    assertEquals(List.of(
        "./ 755 0 0 1700000000 0 ",
        "data/ 750 1000 1001 1700000001 0 ",
        "data/a.txt 644 1000 1001 1700000002 5 ",
        LONG_NAME + " 600 0 0 1700000003 4 ",
        UNICODE + " 640 0 0 1700000004 7 ",
        "data/big-ids 644 3000000000 2500000 -5 0 ",
        "data/l 777 0 0 1700000005 0 a.txt",
        "data/far 777 0 0 1700000006 0 " + LONG_TARGET), seen);
  }

  @Test
  void gnuTarReadsNamesAndContent() throws Exception {
    String names = run("tar", "-tf", tar.toString());
    assertEquals(List.of("./", "data/", "data/a.txt", LONG_NAME, UNICODE, "data/big-ids",
        "data/l", "data/far"), List.of(names.split("\n")));
    assertEquals("hello", run("tar", "-xOf", tar.toString(), "data/a.txt"));
    assertEquals("unicode", run("tar", "-xOf", tar.toString(), UNICODE));
  }

  @Test
  void pythonsTarfileReadsEveryValue() throws Exception {
    String script = "import json,sys,tarfile\n"
        + "with tarfile.open(sys.argv[1]) as t:\n"
        + "  print(json.dumps([[m.name, oct(m.mode), m.uid, m.gid, int(m.mtime), m.size,"
        + " m.linkname, m.type.decode()] for m in t]))\n";
    JsonNode list = new ObjectMapper().readTree(run("python3", "-c", script, tar.toString()));
    assertEquals(8, list.size());
    assertEquals("[\"data/a.txt\",\"0o644\",1000,1001,1700000002,5,\"\",\"0\"]",
        list.get(2).toString());
    assertEquals(LONG_NAME, list.get(3).get(0).asText());
    assertEquals(UNICODE, list.get(4).get(0).asText());
    assertEquals("[\"data/big-ids\",\"0o644\",3000000000,2500000,-5,0,\"\",\"0\"]",
        list.get(5).toString());
    assertEquals("[\"data/l\",\"0o777\",0,0,1700000005,0,\"a.txt\",\"2\"]",
        list.get(6).toString());
    assertEquals(LONG_TARGET, list.get(7).get(6).asText());
    assertEquals("5", list.get(1).get(7).asText());
  }

  @Test
  void refusesMoreOrFewerBytesThanTheHeaderSays() throws IOException {
    TarWriter w = new TarWriter(OutputStream.nullOutputStream());
    w.beginFile("f", new TarWriter.Meta(0644, 0, 0, 0), 3);
    assertThrows(IllegalStateException.class, () -> w.write(new byte[4], 0, 4));
    w.write(new byte[2], 0, 2);
    assertThrows(IllegalStateException.class, w::endFile);
  }

  private static String run(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C.UTF-8"); // names as UTF-8, not octal escapes
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out.strip();
  }
}
