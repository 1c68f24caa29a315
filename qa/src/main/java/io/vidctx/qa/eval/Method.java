package io.vidctx.qa.eval;

import java.util.Locale;

/** How the context of an item is made; every method answers with the same answerer at the same token budget. */
public enum Method {
  /** The vidctx pipeline: hierarchical compression into a bounded memory, then query-aware selection. */
  OURS,
  /** Uniform frame sampling: as many evenly spaced whole frames (all their patch tokens) as the budget buys. */
  UNIFORM,
  /** No compression: every patch token of every frame, then the same query-aware selection within the budget. */
  NONE;

  /** The name used in manifests, options and reports: {@code ours}, {@code uniform}, {@code none}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The method named {@code s} (case-insensitive).
   *
   * @throws IllegalArgumentException an unknown name, listing the known ones
   */
  public static Method parse(final String s) {
    for (final Method m : values()) {
      if (m.id().equalsIgnoreCase(s.strip())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown method '" + s + "': use ours, uniform or none");
  }
}
