package io.haven.agent;

import io.haven.archive.BackupMetadata;
import io.haven.store.StoredBackup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backup and every place that holds a copy of it, as the Supervisor's API shows one backup kept
 * in several locations: the backup directory first, then the registered locations by name, each
 * with the size of its copy.
 *
 * @param fileName the archive's file name, the same in every place
 * @param sizes place → bytes; never empty
 */
public record PlacedBackup(BackupMetadata metadata, String fileName, Map<Place, Long> sizes) {
  public PlacedBackup {
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("a placed backup is in at least one place");
    }
    List<Place> places = new ArrayList<>(sizes.keySet());
    places.sort(Comparator.comparing((Place p) -> !p.isLocal()).thenComparing(Place::key));
    Map<Place, Long> ordered = new LinkedHashMap<>();
    for (Place p : places) {
      ordered.put(p, sizes.get(p));
    }
    sizes = Collections.unmodifiableMap(ordered);
  }

  /** A backup the backup directory holds, with no known copies elsewhere. */
  public static PlacedBackup local(StoredBackup b) {
    return new PlacedBackup(b.metadata(), b.file().getFileName().toString(),
        Map.of(Place.LOCAL, b.size()));
  }

  public String slug() {
    return metadata.slug();
  }

  /** The places, the backup directory first. */
  public List<Place> places() {
    return List.copyOf(sizes.keySet());
  }

  /** The first place: the backup directory when it holds the backup. */
  public Place primary() {
    return places().get(0);
  }

  /** The size of the primary copy. */
  public long size() {
    return sizes.get(primary());
  }

  public boolean isLocal() {
    return sizes.containsKey(Place.LOCAL);
  }
}
