package io.vidctx.qa.eval.report;

/**
 * Needle measures of a set of results (ANCHORS E1): grounding of the answers, and the model-free
 * needle recall of the contexts.
 *
 * @param timed results of needle items whose answer named a time ({@code grounded} not null)
 * @param grounded those whose time lies inside the needle interval
 * @param untimed results of needle items, errors and unanswerable ones left out, whose answer named
 *     no time (a text answer about a card, or a parse failure); counted apart, not as misses, so that
 *     text needles do not read as grounding failures
 * @param recalled results that carry a needle recall
 * @param hits those whose context kept at least one needle patch
 * @param meanCoverage mean coverage over {@code recalled}, NaN when none
 * @param meanPurity mean purity over {@code recalled}, NaN when none
 */
public record NeedleStats(int timed, int grounded, int untimed, int recalled, int hits, double meanCoverage,
    double meanPurity) {

  public NeedleStats {
    if (grounded < 0 || grounded > timed || untimed < 0 || hits < 0 || hits > recalled) {
      throw new IllegalArgumentException("needle counts out of range: grounded " + grounded + "/" + timed + ", hits "
          + hits + "/" + recalled + ", untimed " + untimed);
    }
  }

  /** {@code grounded / timed}, or NaN when no answer named a time. */
  public double groundingAccuracy() {
    return Tally.ratio(grounded, timed);
  }

  /** {@code hits / recalled}, or NaN without recall. */
  public double hitRate() {
    return Tally.ratio(hits, recalled);
  }
}
