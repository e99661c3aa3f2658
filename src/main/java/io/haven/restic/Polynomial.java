package io.haven.restic;

import java.security.SecureRandom;

/**
 * A polynomial over GF(2) of degree at most 63, one bit a coefficient: the chunker's modulus.
 * restic picks a random irreducible one of degree 53 per repository and stores it in the config.
 */
final class Polynomial {
  private static final int DEGREE = 53;

  private Polynomial() {}

  static int degree(long p) {
    return 63 - Long.numberOfLeadingZeros(p);
  }

  static long mod(long x, long d) {
    int dd = degree(d);
    while (x != 0 && degree(x) >= dd) {
      x ^= d << (degree(x) - dd);
    }
    return x;
  }

  /** (a * b) mod g, for a and b already reduced mod g. */
  static long mulMod(long a, long b, long g) {
    long result = 0;
    int top = degree(g);
    for (; b != 0; b >>>= 1) {
      if ((b & 1) != 0) {
        result ^= a;
      }
      a <<= 1;
      if (((a >>> top) & 1) != 0) {
        a ^= g;
      }
    }
    return result;
  }

  static long gcd(long a, long b) {
    while (b != 0) {
      long t = mod(a, b);
      a = b;
      b = t;
    }
    return a;
  }

  /** Ben-Or's test, as restic's chunker package does it: gcd(x^(2^i) - x mod p, p) = 1. */
  static boolean irreducible(long p) {
    for (int i = 1; i <= degree(p) / 2; i++) {
      long x = 2;
      for (int k = 0; k < i; k++) {
        x = mulMod(x, x, p);
      }
      if (gcd(p, mod(x ^ 2, p)) != 1) {
        return false;
      }
    }
    return true;
  }

  /** A random irreducible polynomial of degree 53, as {@code restic init} chooses one. */
  static long random(SecureRandom random) {
    while (true) {
      long p = random.nextLong() & ((1L << (DEGREE + 1)) - 1);
      p |= (1L << DEGREE) | 1;
      if (irreducible(p)) {
        return p;
      }
    }
  }
}
