package io.vidctx.qa.eval.run;

import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.SpanRun;
import io.vidctx.tokencompress.TokenBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a context's token provenance says: needle recall ({@link NeedleRecall}, model-free) and where on
 * the time line the tokens fell ({@link SpanRun}s for the report).
 */
public final class Provenance {
  private Provenance() {}

  /**
   * Needle recall of {@code tokens} for the needle frames {@code firstFrame..lastFrame} (stream indices,
   * both inclusive). See {@link NeedleRecall} for the definitions.
   */
  public static NeedleRecall recall(final TokenBlock tokens, final long firstFrame, final long lastFrame) {
    if (lastFrame < firstFrame) {
      throw new IllegalArgumentException("needle frames " + firstFrame + ".." + lastFrame + " are reversed");
    }
    final int cells = tokens.gridH() * tokens.gridW();
    final int nf = (int) (lastFrame - firstFrame + 1);
    final boolean[] covered = new boolean[nf * cells];
    double needleMass = 0;
    double mass = 0;
    int hits = 0;
    for (int i = 0; i < tokens.size(); i++) {
      final long a = Math.max(firstFrame, tokens.firstFrame(i));
      final long b = Math.min(lastFrame, tokens.lastFrame(i));
      if (a > b) {
        continue;
      }
      hits++;
      final double span = tokens.lastFrame(i) - tokens.firstFrame(i) + 1;
      needleMass += tokens.weight(i) * (b - a + 1) / span;
      mass += tokens.weight(i);
      for (int c = 0; c < cells; c++) {
        if (tokens.coversCell(i, c)) {
          for (long f = a; f <= b; f++) {
            covered[(int) (f - firstFrame) * cells + c] = true;
          }
        }
      }
    }
    if (hits == 0) {
      return NeedleRecall.MISS;
    }
    int n = 0;
    for (final boolean c : covered) {
      if (c) {
        n++;
      }
    }
    return new NeedleRecall(true, (double) n / covered.length, Math.min(1, needleMass / mass), hits);
  }

  /**
   * The tokens' spans merged into runs: spans that overlap or lie within {@code gapMicros} of each
   * other form one run. In time order.
   */
  public static List<SpanRun> runs(final TokenBlock tokens, final long gapMicros) {
    final int n = tokens.size();
    final long[][] spans = new long[n][];
    for (int i = 0; i < n; i++) {
      spans[i] = new long[] {tokens.startPts(i), tokens.endPts(i)};
    }
    Arrays.sort(spans, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    final List<SpanRun> out = new ArrayList<>();
    int i = 0;
    while (i < n) {
      final long start = spans[i][0];
      long end = spans[i][1];
      int count = 0;
      while (i < n && spans[i][0] <= end + gapMicros) {
        end = Math.max(end, spans[i][1]);
        count++;
        i++;
      }
      out.add(new SpanRun(start, end, count));
    }
    return out;
  }
}
