package io.haven.archive;

import java.util.Arrays;

/** What opens a protected archive: a password, or (for SecureTar v1 only) a raw 16-byte AES key. */
public sealed interface Secret permits Secret.Password, Secret.RawKey {

  /** A password, used verbatim as Home Assistant does (an emergency-kit key keeps its dashes). */
  record Password(String value) implements Secret {
    public Password {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("empty password: an empty password means no password");
      }
    }

    @Override
    public String toString() {
      return "Password[***]";
    }
  }

  /** A raw AES-128 key, as older SecureTar v1 tooling used it. */
  record RawKey(byte[] key) implements Secret {
    public RawKey {
      if (key.length != 16) {
        throw new IllegalArgumentException("a raw key is 16 bytes, got " + key.length);
      }
      key = key.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RawKey r && Arrays.equals(key, r.key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
      return "RawKey[***]";
    }
  }
}
