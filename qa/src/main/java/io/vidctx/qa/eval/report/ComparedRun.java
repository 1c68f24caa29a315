package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.RunInfo;
import java.util.List;

/**
 * Another run over the same items (typically the same manifest at another token budget), shown in the
 * report's budget sweep: what accuracy each method buys at each budget.
 *
 * @param info the run's description (its budget labels the points)
 * @param results its results
 */
public record ComparedRun(RunInfo info, List<ItemResult> results) {

  public ComparedRun {
    results = List.copyOf(results);
  }
}
