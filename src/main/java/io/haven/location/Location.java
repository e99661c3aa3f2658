package io.haven.location;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where archives live. A written archive is either complete under its name or not visible at all.
 *
 * <p>Every implementation keeps these promises:
 *
 * <ul>
 *   <li>{@link #write} sends the bytes to a temporary name (a dot name ending in
 *       {@code .haven-tmp}) and renames it onto {@code name} only when the writer returned
 *       normally; S3 has no rename, so there a single PUT or a multipart upload completes the
 *       object in one step instead. If the writer or the transfer fails, the temporary is removed
 *       (an abandoned multipart upload is aborted) as far as the server can still be reached; a
 *       temporary left by a dropped connection stays invisible to {@link #list}.
 *   <li>{@link #list} shows complete objects only, sorted by name; temporaries, directories and
 *       names {@link Names#check} would reject are left out.
 *   <li>{@link #read} and {@link #write} take callbacks: the Location opens and closes the stream
 *       itself, so a decorator such as {@link RetryingLocation} can call the callback again with a
 *       fresh stream. A callback must therefore start from the beginning each time it is called.
 *   <li>A failure of the Location's own stream (connection dropped, server gone) reaches the
 *       callback as {@link LocationException.Unreachable}; any other exception out of a callback is
 *       the callback's own and passes through unchanged.
 *   <li>Names are checked with {@link Names#check} before anything is sent.
 *   <li>{@link #localPath} answers only where objects are files on this machine
 *       ({@link FileLocation}); a decorator passes the question on. Elsewhere an object is read
 *       through {@link #read} only.
 * </ul>
 *
 * <p>Implementations are not safe for use by several threads at once.
 */
public interface Location extends Closeable {

  /** The complete objects, sorted by name; {@code List.of()} when there are none. */
  List<ArchiveInfo> list() throws IOException;

  /** The object's size and time, or empty if no complete object has that name. */
  Optional<ArchiveInfo> stat(String name) throws IOException;

  /**
   * Opens the object, gives its bytes to {@code reader} and closes the stream when the reader
   * returns or throws.
   *
   * @throws LocationException.NotFound if there is no object of that name
   */
  <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException;

  /**
   * Stores what {@code writer} writes under {@code name}, replacing an existing object. The object
   * appears only once the writer has returned and every byte is stored; if the writer throws, the
   * exception is rethrown and nothing new is visible under any name.
   */
  void write(String name, IoConsumer<OutputStream> writer) throws IOException;

  /**
   * Stores {@code source} under {@code name} as {@link #write(String, IoConsumer)} does, with the
   * same promise that nothing is visible until every byte is stored. Where
   * {@link Capabilities#resumable()} is true, a write that was cut off keeps what the server
   * already holds and remembers it in {@code records}; the next call for the same name, size and
   * {@link ResumableSource#fingerprint()} sends only the rest. A changed source, or any failure
   * other than {@link LocationException.Unreachable}, discards the unfinished write. Elsewhere
   * this sends the whole source each time.
   */
  default void write(String name, ResumableSource source, ResumeRecords records)
      throws IOException {
    write(name, out -> {
      try (InputStream in = source.openAt(0)) {
        in.transferTo(out);
      }
    });
  }

  /**
   * Removes the object.
   *
   * @throws LocationException.NotFound if there is no object of that name
   */
  void delete(String name) throws IOException;

  /**
   * A short, human description for logs and the UI, such as {@code sftp://haven@nas:22/backup};
   * never holds a password, key or access secret.
   */
  String describe();

  /** What this Location can do beyond the common contract. */
  Capabilities capabilities();

  /** Bytes still free for new objects, when {@link Capabilities#knowsFreeSpace()} is true. */
  default Optional<Long> freeSpace() throws IOException {
    return Optional.empty();
  }

  /**
   * The complete object {@code name} as a file on this machine, where the Location keeps its
   * objects as local files (a directory, or an NFS or CIFS share mounted here): a caller may then
   * open it where it lies, with random access, instead of streaming it through {@link #read}
   * into a copy. Empty where objects are not local files, and when there is no complete object
   * of that name; the default is empty. The path is for reading: writing or deleting through it
   * bypasses the promises above.
   */
  default Optional<Path> localPath(String name) throws IOException {
    return Optional.empty();
  }
}
