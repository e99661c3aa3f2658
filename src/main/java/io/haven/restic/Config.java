package io.haven.restic;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The repository's {@code config} file: format version, a random repository ID and the chunker
 * polynomial in hex. Encrypted with the master key and, unlike the other files, never compressed.
 */
record Config(
    int version,
    String id,
    @JsonProperty("chunker_polynomial") String chunkerPolynomial) {

  long polynomial() {
    return Long.parseUnsignedLong(chunkerPolynomial, 16);
  }

  static Config create() {
    long pol = Polynomial.random(new java.security.SecureRandom());
    return new Config(2, java.util.HexFormat.of().formatHex(Crypto.random(32)),
        Long.toHexString(pol));
  }
}
