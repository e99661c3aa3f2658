package io.haven.location;

import java.io.IOException;

/** A consumer that may fail with an {@link IOException}; the writer callback of a Location. */
@FunctionalInterface
public interface IoConsumer<A> {
  void accept(A input) throws IOException;
}
