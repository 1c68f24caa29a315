package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.Method;

/**
 * Everything the summary table shows for one method.
 *
 * @param method the method
 * @param tally outcome counts and accuracy
 * @param missing items of the manifest that have no result for this method (a run still going, or cut short)
 * @param needle grounding and needle recall
 * @param efficiency tokens, reduction, stage times and heap
 */
public record MethodStats(Method method, Tally tally, int missing, NeedleStats needle, Efficiency efficiency) {
}
