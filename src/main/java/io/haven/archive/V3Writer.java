package io.haven.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes SecureTar v3 parts of one archive. Argon2id runs once, here; its salts and the
 * validation key are shared by every part, as Home Assistant does, while each part gets a fresh
 * derivation salt (so its own file key) and stream header.
 */
final class V3Writer implements SecureTar.Writer {
  private final byte[] rootSalt = Keys.random(Keys.SALT_BYTES);
  private final byte[] validationSalt = Keys.random(Keys.SALT_BYTES);
  private final byte[] rootKey;
  private final byte[] validationKey;

  V3Writer(Secret.Password password) {
    this.rootKey = Keys.argon2RootKey(password.value(), rootSalt);
    this.validationKey = Keys.subkey(rootKey, validationSalt);
  }

  @Override
  public SecureTar.SecureTarOutput encrypt(OutputStream out) throws IOException {
    return encrypt(out, 0);
  }

  @Override
  public SecureTar.SecureTarOutput encrypt(OutputStream out, long plaintextSize)
      throws IOException {
    byte[] derivationSalt = Keys.random(Keys.SALT_BYTES);
    byte[] streamHeader = Keys.random(SecretStream.HEADER_BYTES);
    var header =
        new V3Header(plaintextSize, rootSalt, validationSalt, validationKey, derivationSalt, streamHeader);
    byte[] fileKey = Keys.subkey(rootKey, derivationSalt);
    var stream = SecretStream.open(fileKey, streamHeader);
    return new SecretStreamOutputStream(out, header.toBytes(), stream,
        Keys.digestKey(fileKey, derivationSalt));
  }

  @Override
  public SecureTar.Version version() {
    return SecureTar.Version.V3;
  }
}
