package io.haven.location;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A named location as the user configured it: a URL such as {@code sftp://haven@nas:22/backup},
 * plain options (host key pin, region, endpoint) and secrets (password, key file). Secrets never
 * appear in {@link #toString()} and are never options (which listings show): a secret's name
 * given as an option, in any case, is refused here and moved to the secrets by {@link #with}; a
 * password inside the URL is refused so it cannot leak from there.
 *
 * <p>URL forms: {@code file:///path}, {@code sftp://user@host:port/path},
 * {@code webdav://user@host:port/path} and {@code webdavs://...} (HTTPS),
 * {@code s3://bucket/prefix}, {@code smb://user@host:port/share/path}, {@code rclone:remote:path}.
 */
public record LocationSpec(
    String name, URI url, Map<String, String> options, Map<String, String> secrets) {

  /** Secret keys: the password of the user in the URL. */
  public static final String PASSWORD = "password";
  /** Secret keys: an SSH private key file (SFTP). */
  public static final String KEY_FILE = "keyFile";
  /** Secret keys: the passphrase of {@link #KEY_FILE}, if it has one. */
  public static final String KEY_PASSPHRASE = "keyPassphrase";
  /** Secret keys: the S3 access key id. */
  public static final String ACCESS_KEY = "accessKey";
  /** Secret keys: the S3 secret access key. */
  public static final String SECRET_KEY = "secretKey";

  /** Secret keys: the password of a restic repository (restic+... locations). */
  public static final String REPOSITORY_PASSWORD = "repositoryPassword";

  /** Every secret's name: these are never options. */
  public static final Set<String> SECRET_NAMES =
      Set.of(PASSWORD, KEY_FILE, KEY_PASSPHRASE, ACCESS_KEY, SECRET_KEY, REPOSITORY_PASSWORD);

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public LocationSpec {
    Objects.requireNonNull(url, "url");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid location name '" + name
          + "': use lower-case letters, digits, '-' and '_', starting with a letter or digit");
    }
    String userInfo = url.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new IllegalArgumentException("Location '" + name + "': the URL holds a password;"
          + " give it as the secret '" + PASSWORD + "' instead, so it is never shown");
    }
    options = Map.copyOf(options == null ? Map.of() : options);
    for (String key : options.keySet()) {
      if (secretName(key).isPresent()) {
        throw new IllegalArgumentException("Location '" + name + "': '" + key + "' is a secret,"
            + " not an option; it is kept with the secrets so no listing shows it");
      }
    }
    secrets = Map.copyOf(secrets == null ? Map.of() : secrets);
  }

  /** A spec with no options and no secrets. */
  public static LocationSpec of(String name, String url) {
    return new LocationSpec(name, URI.create(url), Map.of(), Map.of());
  }

  /**
   * A copy with one more setting: a secret when {@code key} names one (in any case, stored under
   * its own spelling, so {@code SecretKey} is the S3 secret key), else an option.
   */
  public LocationSpec with(String key, String value) {
    Optional<String> secret = secretName(key);
    return secret.isPresent() ? withSecret(secret.get(), value) : withOption(key, value);
  }

  /** The secret {@code key} names, ignoring case; empty for an option. */
  public static Optional<String> secretName(String key) {
    return SECRET_NAMES.stream().filter(s -> s.toLowerCase(Locale.ROOT)
        .equals(key.toLowerCase(Locale.ROOT))).findFirst();
  }

  /** A copy without the option {@code key}. */
  public LocationSpec withoutOption(String key) {
    Map<String, String> copy = new TreeMap<>(options);
    copy.remove(key);
    return new LocationSpec(name, url, copy, secrets);
  }

  /** A copy with one more option. */
  public LocationSpec withOption(String key, String value) {
    Map<String, String> copy = new TreeMap<>(options);
    copy.put(key, value);
    return new LocationSpec(name, url, copy, secrets);
  }

  /** A copy with one more secret. */
  public LocationSpec withSecret(String key, String value) {
    Map<String, String> copy = new TreeMap<>(secrets);
    copy.put(key, value);
    return new LocationSpec(name, url, options, copy);
  }

  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  public Optional<String> secret(String key) {
    return Optional.ofNullable(secrets.get(key));
  }

  @Override
  public String toString() {
    return "LocationSpec[name=" + name + ", url=" + url + ", options=" + new TreeMap<>(options)
        + ", secrets=" + new TreeMap<>(secrets).keySet() + "]";
  }
}
