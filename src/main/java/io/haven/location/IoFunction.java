package io.haven.location;

import java.io.IOException;

/** A function that may fail with an {@link IOException}; the reader callback of a Location. */
@FunctionalInterface
public interface IoFunction<A, R> {
  R apply(A input) throws IOException;
}
