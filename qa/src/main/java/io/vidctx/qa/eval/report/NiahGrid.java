package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.Method;
import java.util.List;

/**
 * Needle results by haystack length x needle depth, per method (the V-NIAH heatmap).
 *
 * @param lengths rows, shortest first
 * @param depths columns, rounded to whole percent, shallowest first
 * @param cells every non-empty (method, length, depth) cell
 */
public record NiahGrid(List<HaystackLength> lengths, List<Double> depths, List<Cell> cells) {

  /** One cell: the results of one method at one length and depth. */
  public record Cell(Method method, HaystackLength length, double depth, Tally tally) {
  }

  public NiahGrid {
    lengths = List.copyOf(lengths);
    depths = List.copyOf(depths);
    cells = List.copyOf(cells);
  }

  public boolean isEmpty() {
    return cells.isEmpty();
  }

  /** The cell's counts, {@link Tally#EMPTY} when the method has no result there. */
  public Tally tally(final Method method, final HaystackLength length, final double depth) {
    for (final Cell c : cells) {
      if (c.method() == method && c.length().equals(length) && c.depth() == depth) {
        return c.tally();
      }
    }
    return Tally.EMPTY;
  }

  /** Depth rounded as the columns are: to whole percent. */
  public static double column(final double depth) {
    return Math.round(depth * 100) / 100.0;
  }
}
