package io.haven.archive;

/** backup.json's {@code homeassistant} object: which version made it and whether the DB is out. */
public record HomeAssistantInfo(String version, boolean excludeDatabase) {
  public HomeAssistantInfo {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("a Home Assistant version is required");
    }
  }
}
