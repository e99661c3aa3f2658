package io.haven.location;

/**
 * The key an SSH server presented, as OpenSSH prints it ({@code SHA256:} and the unpadded
 * base64 of the key's digest, as in {@code ssh-keygen -l}), and whether the location already
 * trusts it (pinned with the option {@code hostKey}, or in its known-hosts file).
 */
public record HostKey(String fingerprint, String algorithm, boolean trusted) {
  public HostKey {
    if (!fingerprint.startsWith("SHA256:")) {
      throw new IllegalArgumentException("not an OpenSSH SHA256 fingerprint: " + fingerprint);
    }
  }
}
