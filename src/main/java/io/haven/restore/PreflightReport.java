package io.haven.restore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/** The preflight's findings for one backup, most serious first. */
public record PreflightReport(String slug, List<Finding> findings) {
  public PreflightReport {
    findings = findings.stream()
        .sorted((a, b) -> b.severity().compareTo(a.severity())).toList();
  }

  public List<Finding> blocking() {
    return of(Finding.Severity.BLOCKING);
  }

  public List<Finding> of(Finding.Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).toList();
  }

  /** The findings of one check, in report order. */
  public List<Finding> check(String check) {
    return findings.stream().filter(f -> f.check().equals(check)).toList();
  }

  /** True when nothing blocks the restore. */
  public boolean passed() {
    return blocking().isEmpty();
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("slug", slug);
    o.put("passed", passed());
    ArrayNode list = o.putArray("findings");
    for (Finding f : findings) {
      list.addObject().put("check", f.check()).put("severity", f.severity().toString())
          .put("message", f.message()).put("action", f.action());
    }
    return o;
  }

  /** Reads {@link #toJson()}'s form back (a report that crossed the agent's socket). */
  public static PreflightReport fromJson(com.fasterxml.jackson.databind.JsonNode o) {
    List<Finding> findings = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode f : o.path("findings")) {
      findings.add(new Finding(f.path("check").asText(), Finding.Severity.valueOf(
          f.path("severity").asText().toUpperCase(java.util.Locale.ROOT)),
          f.path("message").asText(), f.path("action").asText("")));
    }
    return new PreflightReport(o.path("slug").asText(), findings);
  }

  /** One finding a line or two, as a person reads them. */
  public void print(PrintWriter out) {
    for (Finding f : findings) {
      out.printf("%-8s %-16s %s%n", f.severity().toString().toUpperCase(java.util.Locale.ROOT),
          f.check(), f.message());
      if (!f.action().isEmpty()) {
        out.printf("%-8s %-16s -> %s%n", "", "", f.action());
      }
    }
    out.println(passed() ? "Preflight passed for " + slug + "."
        : "Preflight found " + blocking().size() + " blocking problem(s) for " + slug + ".");
  }
}
