package io.haven.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcludesTest {
  private static final List<String> GLOBS = List.of("**/__pycache__/*", "**/.DS_Store",
      "*.db-shm", "*.corrupt.*", "*.log.*", "*.log", ".storage/*.corrupt.*", "OZW_Log.txt",
      "backups/*.tar", "tmp_backups/*.tar", "tts/*", ".cache/*", "home-assistant_v?.db",
      "home-assistant_v?.db-wal", "frigate/**", "**/*.mp4", "a/**/b", "*", "a*b*c", "**");

  /**
   * Each path, then the globs that match it, as Python 3.13's {@code PurePosixPath.full_match}
   * (the Supervisor's) answers: printed by it, pasted here.
   */
  private static final List<String> PYTHON_313 = List.of(
      "__pycache__\t* **",
      "__pycache__/x.pyc\t**/__pycache__/* **",
      "a/__pycache__/x.pyc\t**/__pycache__/* **",
      "a/__pycache__\t**",
      "a/b/__pycache__/c/d\t**",
      ".DS_Store\t**/.DS_Store * **",
      "x/y/.DS_Store\t**/.DS_Store **",
      "home-assistant_v2.db-shm\t*.db-shm * **",
      "x/home-assistant_v2.db-shm\t**",
      "core.corrupt.1\t*.corrupt.* * **",
      ".storage/core.corrupt.2\t.storage/*.corrupt.* **",
      "home-assistant.log\t*.log * **",
      "home-assistant.log.1\t*.log.* * **",
      "x/a.log\t**",
      "OZW_Log.txt\tOZW_Log.txt * **",
      "backups/a.tar\tbackups/*.tar **",
      "backups/x/a.tar\t**",
      "tts/x.mp3\ttts/* **",
      "tts\t* **",
      ".cache/q\t.cache/* **",
      "home-assistant_v2.db\thome-assistant_v?.db * **",
      "home-assistant_v2.db-wal\thome-assistant_v?.db-wal * **",
      "home-assistant_v22.db\t* **",
      "frigate\t* **",
      "frigate/clips/a.mp4\tfrigate/** **/*.mp4 **",
      "x/frigate\t**",
      "a.mp4\t**/*.mp4 * **",
      "deep/er/b.mp4\t**/*.mp4 **",
      "a/b\ta/**/b **",
      "a/x/y/b\ta/**/b **",
      "a/bb\t**",
      "abc\t* a*b*c **",
      "aXbYc\t* a*b*c **",
      "ab\t* **",
      "acb\t* **",
      "x.corrupt.\t*.corrupt.* * **",
      ".log\t*.log * **");

  @Test
  void everyGlobMatchesExactlyTheWholePathsPythonsFullMatchDoes() {
    for (String row : PYTHON_313) {
      String[] cols = row.split("\t", -1);
      List<String> expected = cols[1].isEmpty() ? List.of() : List.of(cols[1].split(" "));
      List<String> matched = new ArrayList<>();
      for (String g : GLOBS) {
        if (Excludes.of(List.of(g)).matches(cols[0])) {
          matched.add(g);
        }
      }
      assertEquals(expected, matched, cols[0]);
    }
  }

  @Test
  void homeAssistantsExcludesLeaveOutItsLogsCachesAndCorruptFilesOnly() {
    Excludes ha = Excludes.of(Excludes.HOME_ASSISTANT);
    assertTrue(ha.matches("home-assistant.log"));
    assertTrue(ha.matches("custom_components/x/__pycache__/y.pyc"));
    assertFalse(ha.matches("custom_components/x/y.py"));
    assertFalse(ha.matches("home-assistant_v2.db"));
    assertTrue(ha.plus(Excludes.DATABASE).matches("home-assistant_v2.db"));
    assertFalse(Excludes.NONE.matches("anything"));
  }

  @Test
  void userGlobsApplyBelowTheirPartOrAsNamesAnywhere() {
    List<String> user = List.of("media/frigate/**", "*.mp4", "share/tmp/*", "**/cache/*");
    Excludes media = Excludes.NONE.plusUser("media", user);
    assertTrue(media.matches("frigate/clips/a.jpg"));
    assertTrue(media.matches("deep/down/movie.mp4"));
    assertTrue(media.matches("x/cache/y"));
    assertFalse(media.matches("tmp/y"), "share's glob stays in share");
    assertFalse(media.matches("photos/a.jpg"));
    Excludes share = Excludes.NONE.plusUser("share", user);
    assertTrue(share.matches("tmp/y"));
    assertFalse(share.matches("frigate/clips/a.jpg"));
    assertTrue(share.matches("movie.mp4"));
    Excludes addon = Excludes.NONE.plusUser("addons/data/core_x", List.of("addons/data/core_x/db/*"));
    assertTrue(addon.matches("db/a"));
  }

  @Test
  void aUserGlobThatCannotNameAPathInTheDataRootIsRefusedWithAnExample() {
    Excludes.checkUserGlob("media/frigate/**");
    Excludes.checkUserGlob("*.mp4");
    for (String bad : List.of("", " ", "/media/x", "media//x", "../x", "media/./x")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Excludes.checkUserGlob(bad), bad);
      assertTrue(e.getMessage().contains("exclude"), e::getMessage);
    }
  }
}
