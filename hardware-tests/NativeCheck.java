import com.github.luben.zstd.Zstd;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Arrays;

/**
 * Loads and uses every native library Haven ships (zstd-jni, JNA, sqlite-jdbc) on the JVM it runs
 * on, then prints which shared objects the process mapped, so that a silent fallback to a
 * pure-Java path shows. Exits 1 when a library fails to load or gives a wrong answer.
 * Compiled on the build machine and run under the JVM being checked (a JRE has no compiler).
 */
public final class NativeCheck {
  /** The C library's getpid, through JNA's own native dispatch. */
  public interface C extends Library {
    int getpid();
  }

  public static void main(String[] args) throws Exception {
    System.out.println("os.arch=" + System.getProperty("os.arch") + " java="
        + System.getProperty("java.vm.version"));
    int failed = 0;
    failed += check("zstd-jni", NativeCheck::zstd);
    failed += check("jna", NativeCheck::jna);
    failed += check("sqlite-jdbc", NativeCheck::sqlite);
    printMappedLibraries();
    System.exit(failed == 0 ? 0 : 1);
  }

  interface Check {
    String run() throws Exception;
  }

  private static int check(String name, Check c) {
    try {
      System.out.println("PASS " + name + ": " + c.run());
      return 0;
    } catch (Throwable t) { // UnsatisfiedLinkError included: that is what this looks for
      System.out.println("FAIL " + name + ": " + t);
      return 1;
    }
  }

  private static String zstd() throws Exception {
    byte[] in = "haven haven haven haven haven haven".repeat(1000).getBytes(StandardCharsets.UTF_8);
    byte[] packed = Zstd.compress(in, 1);
    byte[] out = Zstd.decompress(packed, in.length);
    if (!Arrays.equals(in, out)) {
      throw new IllegalStateException("round trip differs");
    }
    return "round trip " + in.length + " -> " + packed.length + " bytes, native loaded: "
        + com.github.luben.zstd.util.Native.isLoaded();
  }

  private static String jna() {
    C c = Native.load("c", C.class);
    long pid = ProcessHandle.current().pid();
    if (c.getpid() != pid) {
      throw new IllegalStateException("getpid " + c.getpid() + " != " + pid);
    }
    return "getpid() = " + pid + ", jnidispatch " + Native.VERSION_NATIVE + " from resource "
        + com.sun.jna.Platform.RESOURCE_PREFIX;
  }

  private static String sqlite() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        ResultSet r = c.createStatement().executeQuery("select sqlite_version(), 6 * 7")) {
      r.next();
      if (r.getInt(2) != 42) {
        throw new IllegalStateException("6 * 7 = " + r.getInt(2));
      }
      boolean nativeMode = org.sqlite.SQLiteJDBCLoader.isNativeMode();
      if (!nativeMode) {
        throw new IllegalStateException("sqlite-jdbc is not in native mode");
      }
      return "SQLite " + r.getString(1) + ", native mode, from resource "
          + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
    }
  }

  // The process's own view of what it mapped: the shared objects each library extracted.
  private static void printMappedLibraries() throws Exception {
    Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .map(l -> l.replaceFirst("^(\\S+\\s+){5}", "").trim())
        // A library may delete its extracted copy once loaded: the mapping then says so.
        .map(p -> p.replaceFirst(" \\(deleted\\)$", ""))
        .filter(p -> p.endsWith(".so") || p.contains(".so.") || p.contains("JNA"))
        .filter(p -> p.contains("zstd") || p.contains("jna") || p.contains("JNA")
            || p.contains("sqlite"))
        .distinct()
        .forEach(p -> System.out.println("loaded " + p + " ("
            + (Files.exists(Path.of(p)) ? elfMachine(p) : "deleted after loading") + ")"));
  }

  private static String elfMachine(String path) {
    try (var in = Files.newInputStream(Path.of(path))) {
      byte[] h = in.readNBytes(20);
      int machine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
      switch (machine) {
        case 0x3e: return "x86-64";
        case 0xb7: return "aarch64";
        case 0x28: return "arm";
        default: return "ELF machine 0x" + Integer.toHexString(machine);
      }
    } catch (Exception e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
