package io.haven.store;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The bench's peak heap: the most heap in use at one moment, taken just before each garbage
 * collection (where use peaks) and now. Unlike the sum of the pools' own peaks, which each come
 * at another moment, it never exceeds -Xmx.
 */
final class HeapWatch {
  private static final AtomicLong PEAK = new AtomicLong();
  private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
      .collect(Collectors.toSet());

  private HeapWatch() {}

  static void start() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
        if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          PEAK.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
        }
      }, null, null);
    }
  }

  /** Starts over from the heap in use now. */
  static void reset() {
    PEAK.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  static double peakMb() {
    long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return Math.max(PEAK.get(), now) / 1048576.0;
  }

  private static long heapUsed(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream().filter(e -> HEAP_POOLS.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed()).sum();
  }
}
