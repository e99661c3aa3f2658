package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationRegistryTest {
  @TempDir
  Path dir;

  private final LocationSpec nas = LocationSpec.of("nas", "sftp://haven@nas:22/backup")
      .withOption("hostKey", "SHA256:abc")
      .withSecret(LocationSpec.PASSWORD, "hunter2");

  @Test
  void addedLocationsComeBackSortedWithTheirSecrets() throws IOException {
    LocationRegistry registry = new LocationRegistry(dir.resolve("locations.yaml"));
    registry.add(nas);
    registry.add(LocationSpec.of("local", "file:///backup"));
    assertEquals(List.of("local", "nas"), registry.list().stream().map(LocationSpec::name)
        .toList());
    LocationRegistry reread = new LocationRegistry(dir.resolve("locations.yaml"));
    assertEquals(Optional.of(nas), reread.get("nas"));
    assertEquals(Optional.of("hunter2"), reread.get("nas").orElseThrow().secret("password"));
  }

  @Test
  void fileIsReadableByItsOwnerOnly() throws IOException {
    Path file = dir.resolve("conf/locations.yaml");
    new LocationRegistry(file).add(nas);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.readString(file).contains("hunter2"), "secrets stay in this file");
    assertEquals(List.of("locations.yaml"), LocationContract.filesIn(file.getParent()),
        "no temporary left");
  }

  @Test
  void duplicateNameIsRefusedAndRemoveReportsWhetherItRemoved() throws IOException {
    LocationRegistry registry = new LocationRegistry(dir.resolve("locations.yaml"));
    registry.add(nas);
    assertThrows(IllegalArgumentException.class, () -> registry.add(nas));
    assertTrue(registry.remove("nas"));
    assertFalse(registry.remove("nas"));
    assertEquals(List.of(), registry.list());
  }

  @Test
  void missingFileIsAnEmptyRegistryAndABrokenOneIsAConfigError() throws IOException {
    Path file = dir.resolve("locations.yaml");
    assertEquals(List.of(), new LocationRegistry(file).list());
    Files.writeString(file, "locations: [not, a, map");
    LocationException.Misconfigured e = assertThrows(LocationException.Misconfigured.class,
        () -> new LocationRegistry(file).list());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aSecretStoredAsAnOptionByAnOlderHavenMovesToTheSecrets() throws IOException {
    Path file = dir.resolve("locations.yaml");
    Files.writeString(file, "locations:\n  s3:\n    url: s3://bucket/haven\n"
        + "    options: {endpoint: 'http://127.0.0.1:9000', secretKey: s3-secret}\n"
        + "    secrets: {accessKey: s3-access}\n");
    LocationSpec s3 = new LocationRegistry(file).get("s3").orElseThrow();
    assertEquals(java.util.Map.of("endpoint", "http://127.0.0.1:9000"), s3.options());
    assertEquals(Optional.of("s3-secret"), s3.secret(LocationSpec.SECRET_KEY));
  }

  @Test
  void replaceChangesALocationInPlaceAndNeedsOneOfThatName() throws IOException {
    LocationRegistry registry = new LocationRegistry(dir.resolve("locations.yaml"));
    registry.add(nas);
    LocationSpec changed = nas.withOption("hostKey", "SHA256:def");
    registry.replace(changed);
    assertEquals(Optional.of(changed), registry.get("nas"));
    assertThrows(LocationException.NotFound.class,
        () -> registry.replace(LocationSpec.of("other", "file:///x")));
  }

  @Test
  void toStringNeverShowsSecrets() throws IOException {
    LocationRegistry registry = new LocationRegistry(dir.resolve("locations.yaml"));
    registry.add(nas);
    assertFalse(registry.list().toString().contains("hunter2"));
  }
}
