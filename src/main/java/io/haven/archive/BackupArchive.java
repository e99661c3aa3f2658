package io.haven.archive;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A backup file opened for reading, in any layout Home Assistant has written: PAX or GNU outer tar,
 * {@code ./backup.json} last or first, {@code backup.json} without "./", the legacy
 * {@code ./snapshot.json}, or no metadata at all (each part member is then read on its own).
 * Only the headers are read on open; parts are streamed on demand.
 */
public final class BackupArchive implements BackupSource, Closeable {
  /** Large reads suit SD cards and eMMC. */
  static final int READ_BUFFER = 1024 * 1024;

  private static final List<String> METADATA_NAMES = List.of("backup.json", "snapshot.json");

  private final Path file;
  private final String shown;
  private final SeekableByteChannel channel;
  private final TarFile tar;
  private final Map<String, TarArchiveEntry> members = new LinkedHashMap<>();
  private final Optional<BackupMetadata> metadata;
  private final Map<Secret, SecureTar.Reader> readers = new LinkedHashMap<>();

  private BackupArchive(Path file, String shown, SeekableByteChannel channel, TarFile tar)
      throws IOException {
    this.file = file;
    this.shown = shown;
    this.channel = channel;
    this.tar = tar;
    for (TarArchiveEntry e : tar.getEntries()) {
      if (e.isFile()) {
        members.put(normalise(e.getName()), e);
      }
    }
    this.metadata = readMetadata();
  }

  /** Opens {@code file}; fails with {@link ArchiveException.Corrupt} when it is not a tar. */
  public static BackupArchive open(Path file) throws IOException {
    return open(file, "'" + file.getFileName() + "'");
  }

  /**
   * As {@link #open(Path)}, with messages naming the archive {@code shown} (for a file under a
   * temporary name, whose name means nothing to a user).
   */
  public static BackupArchive open(Path file, String shown) throws IOException {
    SeekableByteChannel ch;
    try {
      ch = Files.newByteChannel(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such backup file");
    }
    try {
      if (ch.size() < OuterTar.BLOCK) {
        throw new ArchiveException.Corrupt(shown + " is not a backup: only "
            + ch.size() + " bytes, too short for a tar archive");
      }
      return new BackupArchive(file, shown, ch, new TarFile(ch));
    } catch (ArchiveException e) {
      ch.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw new ArchiveException.Corrupt(shown
          + " is not a readable backup (" + e.getMessage() + "); use another copy", e);
    }
  }

  // "./homeassistant.tar.gz" and "homeassistant.tar.gz" are the same member.
  private static String normalise(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  private Optional<BackupMetadata> readMetadata() throws IOException {
    for (String name : METADATA_NAMES) {
      TarArchiveEntry e = members.get(name);
      if (e != null) {
        try (InputStream in = memberStream(e)) {
          return Optional.of(BackupJson.read(in, shown));
        }
      }
    }
    return Optional.empty();
  }

  /** backup.json, when the archive has one (the SecureTar library's test archives do not). */
  @Override
  public Optional<BackupMetadata> metadata() {
    return metadata;
  }

  /** "backup 'a1b2c3d4'", or the file name when there is no metadata: for messages. */
  @Override
  public String describe() {
    if (metadata == null) { // still opening
      return "archive " + shown;
    }
    return metadata.map(m -> "backup '" + m.slug() + "'")
        .orElse("archive " + shown);
  }

  public Path file() {
    return file;
  }

  /**
   * The parts this archive holds, in backup.json's order; without backup.json, every member whose
   * name is a part archive. Fails when backup.json names a part that is missing.
   */
  @Override
  public List<Part> parts() throws ArchiveException {
    if (metadata.isEmpty()) {
      List<Part> parts = new ArrayList<>();
      for (String name : members.keySet()) {
        Compression.ofMemberName(name)
            .flatMap(c -> Part.fromMemberBase(name.substring(0, name.length() - c.suffix().length())))
            .ifPresent(parts::add);
      }
      return parts;
    }
    for (Part p : metadata.get().parts()) {
      member(p);
    }
    return metadata.get().parts();
  }

  /** The stored (possibly encrypted) size of a part's member. */
  @Override
  public long storedSize(Part part) throws ArchiveException {
    return member(part).getSize();
  }

  /** The member name holding {@code part}, e.g. {@code ssl.tar.gz}. */
  public String memberName(Part part) throws ArchiveException {
    return normalise(member(part).getName());
  }

  private TarArchiveEntry member(Part part) throws ArchiveException {
    for (Compression c : Compression.values()) {
      TarArchiveEntry e = members.get(part.memberBase() + c.suffix());
      if (e != null) {
        return e;
      }
    }
    throw new ArchiveException.Corrupt(describe() + ": part '" + part
        + "' is named in backup.json but missing from the archive; use another copy");
  }

  /** Whether the part's member is SecureTar-encrypted (v1 is recognised by elimination). */
  @Override
  public boolean isEncrypted(Part part) throws IOException {
    try (InputStream in = memberStream(member(part))) {
      byte[] head = in.readNBytes(OuterTar.BLOCK);
      return SecureTar.hasMagic(head, head.length) || !PartInput.isPlaintext(head, head.length);
    }
  }

  /**
   * Opens a part for reading. A protected part needs {@code secret}: without it this fails with
   * {@link ArchiveException.PasswordRequired}; with a wrong one, {@link ArchiveException.WrongPassword}
   * before any of the part is returned.
   */
  @Override
  public PartInput openPart(Part part, Optional<Secret> secret) throws IOException {
    TarArchiveEntry e = member(part);
    String what = describe() + ", part '" + part + "'";
    Optional<PartFacts> facts = metadata.flatMap(BackupMetadata::haven).flatMap(h -> h.part(part));
    InputStream in = new BufferedInputStream(memberStream(e), READ_BUFFER);
    try {
      in.mark(OuterTar.BLOCK);
      byte[] head = in.readNBytes(OuterTar.BLOCK);
      in.reset();
      boolean magic = SecureTar.hasMagic(head, head.length);
      if (!magic && PartInput.isPlaintext(head, head.length)) {
        return PartInput.open(part, what, in, Optional.empty(), facts, Optional.empty());
      }
      if (secret.isEmpty()) {
        throw new ArchiveException.PasswordRequired(what + " is protected: give its password"
            + " (--password) and try again");
      }
      SecureTar.Reader reader = readers.computeIfAbsent(secret.get(), SecureTar::reader);
      InputStream member = in;
      SecureTar.Plaintext decrypted = reader.decrypt(in, e.getSize(), what);
      InputStream plain = new java.io.FilterInputStream(decrypted) {
        @Override
        public void close() throws IOException {
          try (member) {
            super.close();
          }
        }
      };
      return PartInput.open(part, what, plain,
          Optional.of(magic ? SecureTar.Version.values()[head[9] - 1] : SecureTar.Version.V1), facts,
          Optional.of(decrypted.digestKey()));
    } catch (IOException | RuntimeException ex) {
      in.close();
      throw ex;
    }
  }

  /** The part's member as stored (compressed, perhaps encrypted), for a copy in another form. */
  public InputStream storedPart(Part part) throws IOException {
    return memberStream(member(part));
  }

  private InputStream memberStream(TarArchiveEntry e) throws IOException {
    if (e.getDataOffset() + e.getSize() > channel.size()) {
      throw new ArchiveException.Corrupt(describe() + ": member '" + normalise(e.getName())
          + "' is truncated (" + (channel.size() - e.getDataOffset()) + " of " + e.getSize()
          + " bytes); use another copy");
    }
    return tar.getInputStream(e);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
