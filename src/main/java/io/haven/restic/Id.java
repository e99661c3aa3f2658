package io.haven.restic;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A restic storage or blob ID: the SHA-256 of the bytes it names, written as 64 hex digits. */
public final class Id implements Comparable<Id> {
  static final int BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();
  private final byte[] bytes;

  private Id(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an ID has 32 bytes, not " + bytes.length);
    }
    this.bytes = bytes;
  }

  static Id of(byte[] bytes) {
    return new Id(bytes.clone());
  }

  static Id of(byte[] bytes, int offset) {
    return new Id(Arrays.copyOfRange(bytes, offset, offset + BYTES));
  }

  /** Parses 64 hex digits. */
  public static Id parse(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      throw new IllegalArgumentException("an ID has 64 hex digits: '" + hex + "'");
    }
    return new Id(HEX.parseHex(hex));
  }

  static Id hash(byte[] data, int offset, int length) {
    MessageDigest sha = sha256();
    sha.update(data, offset, length);
    return new Id(sha.digest());
  }

  static Id hash(byte[] data) {
    return hash(data, 0, data.length);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** The first eight hex digits, as restic shows an ID. */
  public String shortId() {
    return toString().substring(0, 8);
  }

  @Override
  public String toString() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Id other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Id o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}
