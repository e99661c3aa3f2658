package io.haven.archive;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One part of a backup: Home Assistant's configuration, one add-on's data, or one folder. Its
 * member name in the outer tar follows Home Assistant: {@code homeassistant}, the add-on slug, or
 * the folder with "/" replaced by "_", plus the compression's suffix.
 */
public record Part(Kind kind, String id) implements Comparable<Part> {

  /** What a part holds. */
  public enum Kind {
    HOMEASSISTANT,
    ADDON,
    FOLDER
  }

  /** The folders Home Assistant knows, in the order a full backup writes them. */
  public static final List<String> FOLDERS = List.of("share", "addons/local", "ssl", "media");

  // Supervisor's add-on slugs: lowercase letters, digits and underscores (a0d7b954_example).
  private static final Pattern ADDON_SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public Part {
    switch (kind) {
      case HOMEASSISTANT:
        if (!id.equals("homeassistant")) {
          throw new IllegalArgumentException("the Home Assistant part is named homeassistant");
        }
        break;
      case FOLDER:
        if (!FOLDERS.contains(id)) {
          throw new IllegalArgumentException(
              "unknown folder '" + id + "': choose from " + String.join(", ", FOLDERS));
        }
        break;
      case ADDON:
        if (!ADDON_SLUG.matcher(id).matches() || isReservedBase(id)) {
          throw new IllegalArgumentException("invalid add-on slug '" + id + "'");
        }
        break;
    }
  }

  public static Part homeAssistant() {
    return new Part(Kind.HOMEASSISTANT, "homeassistant");
  }

  public static Part folder(String folder) {
    return new Part(Kind.FOLDER, folder);
  }

  public static Part addon(String slug) {
    return new Part(Kind.ADDON, slug);
  }

  /** The Supervisor's job stage while this part is written or restored. */
  public String stage() {
    switch (kind) {
      case HOMEASSISTANT:
        return "home_assistant";
      case ADDON:
        return "addons";
      default:
        return "folders";
    }
  }

  /** The member name without suffix: {@code homeassistant}, {@code addons_local}, the slug. */
  public String memberBase() {
    return id.replace('/', '_');
  }

  /**
   * The part a member base name stands for: a known folder, Home Assistant, else an add-on slug.
   * Empty when the name is none of these (for example {@code supervisor}, which Haven leaves alone).
   */
  public static Optional<Part> fromMemberBase(String base) {
    if (base.equals("homeassistant")) {
      return Optional.of(homeAssistant());
    }
    for (String f : FOLDERS) {
      if (f.replace('/', '_').equals(base)) {
        return Optional.of(folder(f));
      }
    }
    if (ADDON_SLUG.matcher(base).matches() && !isReservedBase(base)) {
      return Optional.of(addon(base));
    }
    return Optional.empty();
  }

  // Names Supervisor writes for its own configuration, never an add-on.
  private static boolean isReservedBase(String base) {
    return base.equals("supervisor") || base.equals("homeassistant");
  }

  /** Home Assistant first, then add-ons by slug, then folders in full-backup order. */
  @Override
  public int compareTo(Part o) {
    if (kind != o.kind) {
      return Integer.compare(order(kind), order(o.kind));
    }
    if (kind == Kind.FOLDER) {
      return Integer.compare(FOLDERS.indexOf(id), FOLDERS.indexOf(o.id));
    }
    return id.compareTo(o.id);
  }

  private static int order(Kind k) {
    return k == Kind.HOMEASSISTANT ? 0 : k == Kind.ADDON ? 1 : 2;
  }

  @Override
  public String toString() {
    return id;
  }
}
