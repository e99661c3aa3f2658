package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.failure.ExitCode;
import org.junit.jupiter.api.Test;

class LocationSpecTest {
  private final LocationSpec spec = LocationSpec.of("nas", "sftp://haven@nas:22/backup")
      .withOption("hostKey", "SHA256:abc")
      .withSecret(LocationSpec.PASSWORD, "hunter2");

  @Test
  void toStringShowsSecretNamesButNeverTheirValues() {
    assertFalse(spec.toString().contains("hunter2"), spec.toString());
    assertTrue(spec.toString().contains("secrets=[password]"), spec.toString());
    assertTrue(spec.toString().contains("SHA256:abc"), spec.toString());
  }

  @Test
  void aSecretIsNeverAnOptionWhateverItsCase() {
    LocationSpec s3 = LocationSpec.of("s3", "s3://bucket/haven")
        .with("endpoint", "http://127.0.0.1:9000")
        .with("SecretKey", "s3-secret")
        .with("accesskey", "s3-access");
    assertEquals(java.util.Map.of("endpoint", "http://127.0.0.1:9000"), s3.options());
    assertEquals(java.util.Optional.of("s3-secret"), s3.secret(LocationSpec.SECRET_KEY));
    assertEquals(java.util.Optional.of("s3-access"), s3.secret(LocationSpec.ACCESS_KEY));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec.withOption("secretKey", "s3-secret"));
    assertFalse(e.getMessage().contains("s3-secret"), e.getMessage());
  }

  @Test
  void aPasswordInsideTheUrlIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocationSpec.of("nas", "sftp://haven:hunter2@nas/backup"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("secret 'password'"), e.getMessage());
  }

  @Test
  void namesAreShortLowerCaseWords() {
    assertThrows(IllegalArgumentException.class, () -> LocationSpec.of("My NAS", "file:///x"));
    assertThrows(IllegalArgumentException.class, () -> LocationSpec.of("", "file:///x"));
    assertEquals("off-site_2", LocationSpec.of("off-site_2", "file:///x").name());
  }

  @Test
  void unknownSchemeIsAConfigurationError() {
    LocationException.Misconfigured e = assertThrows(LocationException.Misconfigured.class,
        () -> Locations.open(LocationSpec.of("ftp", "ftp://host/x")));
    assertEquals(ExitCode.CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("file, sftp, webdav"), e.getMessage());
  }

  @Test
  void missingLoginIsAConfigurationError() {
    LocationException.Misconfigured e = assertThrows(LocationException.Misconfigured.class,
        () -> Locations.open(LocationSpec.of("nas", "sftp://haven@127.0.0.1:1/x")));
    assertTrue(e.getMessage().contains("'keyFile' or 'password'"), e.getMessage());
  }

  @Test
  void unreachableServerSaysSoAndNamesTheLocationOnly() {
    LocationSpec closedPort = LocationSpec.of("dav", "webdav://haven@127.0.0.1:1/backup")
        .withSecret(LocationSpec.PASSWORD, "hunter2");
    LocationException.Unreachable e = assertThrows(LocationException.Unreachable.class,
        () -> Locations.open(closedPort));
    assertTrue(e.getMessage().contains("webdav://haven@127.0.0.1:1/backup"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertEquals(ExitCode.LOCATION, e.exitCode());
  }
}
