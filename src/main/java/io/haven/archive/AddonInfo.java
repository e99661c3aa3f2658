package io.haven.archive;

/** One add-on in backup.json's {@code addons} list. */
public record AddonInfo(String slug, String name, String version) {
  public AddonInfo {
    Part.addon(slug); // validates the slug
    name = name == null ? slug : name;
    version = version == null ? "" : version;
  }
}
