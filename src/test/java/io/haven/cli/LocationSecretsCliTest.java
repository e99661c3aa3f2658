package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret given as an option is kept with the secrets: never listed, and S3 finds it. */
class LocationSecretsCliTest {
  @TempDir Path dir;

  @Test
  void anS3SecretKeyGivenAsAnOptionIsNeverListed() throws Exception {
    Cli cli = new Cli(dir, Files.createDirectories(dir.resolve("data")));
    cli.run("locations", "add", "s3", "s3://backups/haven", "--option",
        "endpoint=http://127.0.0.1:9000", "--option", "accessKey=haven-access", "--option",
        "secretKey=s3-secret-5b9e").ok();

    String list = cli.run("locations", "list").ok().out();
    assertFalse(list.contains("s3-secret-5b9e"), list);
    assertFalse(list.contains("haven-access"), list);
    assertTrue(list.contains("secrets: [accessKey, secretKey]"), list);
    assertTrue(list.contains("endpoint=http://127.0.0.1:9000"), list);
  }
}
