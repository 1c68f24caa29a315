package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.Method;

/**
 * One point of the tokens-vs-accuracy chart: the results of one method on one group of videos of
 * similar length. Within a run the budget is fixed, so what moves the kept tokens is the video's
 * length (short videos do not fill the budget, and methods fill it differently); the chart shows
 * what accuracy each method buys with the tokens it actually kept, length by length.
 *
 * @param method the method
 * @param group the group's label: the haystack length for needle items ("5m"), a duration class
 *     otherwise ("<2m", "2-15m", "15-60m", ">=1h")
 * @param order sort key of the group (a length in microseconds)
 * @param needle whether the group holds needle items (one haystack length) rather than a duration class
 * @param meanKeptTokens mean kept tokens of the group's measured results
 * @param tally the group's outcome counts
 */
public record CurvePoint(Method method, String group, long order, boolean needle, double meanKeptTokens,
    Tally tally) {
}
