package io.haven.restore;

import io.haven.archive.Compression;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.backup.SourceFacts;
import io.haven.device.DeviceFacts;
import io.haven.store.BackupStore;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** A small data root on a source device, and a backup of it that records the device's facts. */
final class SourceBackup {
  static final String CONFIGURATION = "homeassistant:\n  name: Home\n"
      + "http:\n  ssl_certificate: /ssl/fullchain.pem\n  ssl_key: /ssl/privkey.pem\n"
      + "recorder: !include recorder.yaml\n";
  static final String MOUNTS = "{\"mounts\":[{\"name\":\"nas_media\",\"type\":\"nfs\","
      + "\"usage\":\"media\",\"server\":\"nas.local\",\"path\":\"/export/media\"},"
      + "{\"name\":\"nas_backup\",\"type\":\"cifs\",\"usage\":\"backup\",\"server\":\"nas.local\","
      + "\"share\":\"backups\",\"username\":\"ha\",\"password\":\"hunter2-secret\"}]}";

  private SourceBackup() {}

  /** Lays out a data root with https configured, certificates, a share and an add-on. */
  static Path dataRoot(Path root) throws IOException {
    write(root.resolve("config/configuration.yaml"), CONFIGURATION);
    write(root.resolve("config/recorder.yaml"), "purge_keep_days: 21\n");
    write(root.resolve("config/.HA_VERSION"), "2025.6.1");
    write(root.resolve("ssl/fullchain.pem"), "-----BEGIN CERTIFICATE-----\n");
    write(root.resolve("ssl/privkey.pem"), "-----BEGIN PRIVATE KEY-----\n");
    write(root.resolve("share/notes.txt"), "hello\n");
    write(root.resolve("addons/data/core_mosquitto/mosquitto.conf"), "listener 1883\n");
    write(root.resolve("mounts.json"), MOUNTS);
    return root;
  }

  /** A full backup of {@code dataRoot} into {@code backupDir}, recording {@code sys}'s facts. */
  static BackupResult backup(Path dataRoot, Path backupDir, Path sys) throws IOException {
    DataRoot root = new DataRoot(dataRoot);
    BackupCreator creator = new BackupCreator(root, new BackupStore(backupDir), Clock.systemUTC(),
        "test", () -> SourceFacts.of(DeviceFacts.collect(sys, dataRoot, backupDir), dataRoot, sys,
            "test").toJson(), 1);
    return creator.create(new BackupRequest("source", List.of(), Optional.empty(),
        Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()), Progress.NONE);
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
