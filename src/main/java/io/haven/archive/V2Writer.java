package io.haven.archive;

import java.io.IOException;
import java.io.OutputStream;
import javax.crypto.Cipher;

/** Writes SecureTar v2 parts: one key per password, a fresh salt (and so IV) per part. */
final class V2Writer implements SecureTar.Writer {
  private final byte[] key;

  V2Writer(Secret.Password password) {
    this.key = Keys.passwordToKey(password.value());
  }

  @Override
  public SecureTar.SecureTarOutput encrypt(OutputStream out) throws IOException {
    return encrypt(out, 0);
  }

  @Override
  public SecureTar.SecureTarOutput encrypt(OutputStream out, long plaintextSize)
      throws IOException {
    byte[] salt = Keys.random(Keys.SALT_BYTES);
    Cipher cipher = Keys.aesCbc(Cipher.ENCRYPT_MODE, key, Keys.cbcIv(key, salt), "PKCS5Padding");
    byte[] header = Header.v2(salt);
    java.nio.ByteBuffer.wrap(header).putLong(SecureTar.PLAINTEXT_SIZE_OFFSET, plaintextSize);
    return new CbcOutputStream(out, header, cipher, Keys.digestKey(key, salt));
  }

  @Override
  public SecureTar.Version version() {
    return SecureTar.Version.V2;
  }
}
