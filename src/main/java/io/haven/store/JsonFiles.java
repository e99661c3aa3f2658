package io.haven.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small JSON state files in the backup directory (a few kilobytes each). A write goes to a
 * temporary name, is fsynced and then renamed over the file, so after a crash the file holds
 * either the old or the new content, never a mix. A missing or damaged file reads as empty:
 * these files record facts that can be found out again.
 */
public final class JsonFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFiles() {}

  /** The file's object; an empty one when the file is missing or not a JSON object. */
  public static ObjectNode read(Path file) {
    try {
      JsonNode node = Files.exists(file) ? JSON.readTree(file.toFile()) : null;
      return node instanceof ObjectNode o ? o : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode(); // damaged: the facts are found out again
    }
  }

  /** Replaces the file's content with {@code content}, atomically and durably. */
  public static void write(Path file, JsonNode content) throws IOException {
    Files.createDirectories(file.getParent());
    // The store's prefix: a temporary file a crash leaves is removed by the next job's cleanup.
    Path temp = file.resolveSibling(BackupStore.TEMP_PREFIX + file.getFileName());
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(content));
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
