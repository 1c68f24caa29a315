package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.ItemResult;
import java.util.Collection;

/**
 * Outcome counts of a set of results, and the accuracy they give.
 *
 * <p>Accuracy is taken over scored answers: {@code correct / (correct + wrong + parseFailures)}. A
 * parse failure is a reply that names no option, so it counts as wrong (as the benchmarks' own
 * scripts do) and is also reported apart. Unscored answers (hidden ground truth), unanswerable items
 * and errors say nothing about the method's answers and stay out of the ratio; they are shown apart.
 *
 * @param n all results counted
 * @param correct answered and right
 * @param wrong answered and wrong
 * @param unscored answered without ground truth
 * @param parseFailures replies that named no option or answer
 * @param unanswerable items the answerer cannot answer with this model
 * @param errors items that failed
 */
public record Tally(int n, int correct, int wrong, int unscored, int parseFailures, int unanswerable, int errors) {

  public static final Tally EMPTY = new Tally(0, 0, 0, 0, 0, 0, 0);

  public Tally {
    if (correct < 0 || wrong < 0 || unscored < 0 || parseFailures < 0 || unanswerable < 0 || errors < 0
        || n != correct + wrong + unscored + parseFailures + unanswerable + errors) {
      throw new IllegalArgumentException("counts must be >= 0 and add up to n=" + n + ": " + correct + ", " + wrong
          + ", " + unscored + ", " + parseFailures + ", " + unanswerable + ", " + errors);
    }
  }

  public static Tally of(final Collection<ItemResult> results) {
    final int[] c = new int[6];
    for (final ItemResult r : results) {
      c[switch (r.outcome()) {
        case CORRECT -> 0;
        case WRONG -> 1;
        case UNSCORED -> 2;
        case PARSE_FAILURE -> 3;
        case UNANSWERABLE -> 4;
        case ERROR -> 5;
      }]++;
    }
    return new Tally(results.size(), c[0], c[1], c[2], c[3], c[4], c[5]);
  }

  /** The accuracy's denominator: answers with ground truth, parse failures included. */
  public int scored() {
    return correct + wrong + parseFailures;
  }

  /** {@code correct / scored()}, or NaN when nothing was scored. */
  public double accuracy() {
    return ratio(correct, scored());
  }

  /** Share of replies (scored or not) that could not be parsed, or NaN without replies. */
  public double parseFailureRate() {
    return ratio(parseFailures, scored() + unscored);
  }

  static double ratio(final double part, final double whole) {
    return whole == 0 ? Double.NaN : part / whole;
  }
}
