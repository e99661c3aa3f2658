package io.haven.device;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/** Pairs a backup's radios with today's, most certain pairs first; see {@link UsbRadios#compare}. */
final class RadioPairing {
  private final List<Radio> before;
  private final List<Radio> now;
  private final boolean[] beforeUsed;
  private final boolean[] nowUsed;
  private final List<RadioFinding> findings = new ArrayList<>();

  RadioPairing(List<Radio> before, List<Radio> now) {
    this.before = List.copyOf(before);
    this.now = List.copyOf(now);
    this.beforeUsed = new boolean[this.before.size()];
    this.nowUsed = new boolean[this.now.size()];
  }

  List<RadioFinding> findings() {
    pair(Radio::sameStickAs);
    pair((a, b) -> a.model().equals(b.model()));
    pair(Radio::sharesProtocolWith);
    for (int i = 0; i < before.size(); i++) {
      if (!beforeUsed[i]) {
        findings.add(new RadioFinding.Missing(before.get(i)));
      }
    }
    for (int j = 0; j < now.size(); j++) {
      if (!nowUsed[j] && !now.get(j).protocol().equals(Radio.UNKNOWN_SERIAL)) {
        findings.add(new RadioFinding.Added(now.get(j)));
      }
    }
    return List.copyOf(findings);
  }

  private void pair(BiPredicate<Radio, Radio> alike) {
    for (int i = 0; i < before.size(); i++) {
      for (int j = 0; j < now.size() && !beforeUsed[i]; j++) {
        if (!nowUsed[j] && alike.test(before.get(i), now.get(j))) {
          beforeUsed[i] = true;
          nowUsed[j] = true;
          judge(before.get(i), now.get(j));
        }
      }
    }
  }

  private void judge(Radio was, Radio is) {
    if (!was.model().equals(is.model())) {
      findings.add(new RadioFinding.ModelChanged(was, is));
    } else if (moved(was, is)) {
      findings.add(new RadioFinding.PortChanged(was, is));
    }
  }

  /** Integrations that use the by-id name survive a changed ttyUSBn; compare it when both have it. */
  private static boolean moved(Radio was, Radio is) {
    if (!was.byIdPath().isEmpty() && !is.byIdPath().isEmpty()) {
      return !was.byIdPath().equals(is.byIdPath());
    }
    return !was.port().equals(is.port());
  }
}
