package io.haven.cli;

import picocli.CommandLine.IVersionProvider;

/** Haven's version, from the jar's manifest. */
final class Version implements IVersionProvider {
  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-dev";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"haven " + current()};
  }
}
