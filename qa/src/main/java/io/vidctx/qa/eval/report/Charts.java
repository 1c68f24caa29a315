package io.vidctx.qa.eval.report;

import static io.vidctx.qa.eval.report.Fmt.c;
import static io.vidctx.qa.eval.report.Fmt.esc;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.SpanRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's charts as inline SVG. Every chart carries {@code class="chart <kind>"}, a
 * {@code <title>} and an {@code aria-label}; sizes are in viewBox units, so the page's CSS scales
 * them to the column. No ids are used: a report repeats charts, and ids would collide.
 */
final class Charts {

  /** Okabe-Ito colours, told apart with the common colour-vision deficiencies. */
  private static final String[] METHOD_COLOURS = {"#0072B2", "#CC79A7", "#009E73", "#56B4E9", "#E69F00"};

  private static final Map<String, String> STAGE_COLOURS = Map.of("decode", "#56B4E9", "encode", "#0072B2",
      "compress", "#009E73", "query", "#F0E442", "select", "#E69F00", "answer", "#D55E00");
  private static final String[] OTHER_STAGE_COLOURS = {"#CC79A7", "#999999", "#000000"};

  /** ColorBrewer RdYlGn stops from 0 % to 100 %. */
  private static final int[] ACCURACY_STOPS = {0xd73027, 0xfc8d59, 0xfee08b, 0xd9ef8b, 0x91cf60, 0x1a9850};

  static final String NEEDLE_COLOUR = "#E69F00";
  static final String ANSWER_COLOUR = "#1f2328";
  private static final String EMPTY_CELL = "#eef1f4";
  private static final String GRID_LINE = "#e3e7eb";
  private static final String AXIS = "#8c959f";
  private static final String MUTED = "#57606a";

  private Charts() {
  }

  static String methodColour(final Method m) {
    return METHOD_COLOURS[m.ordinal() % METHOD_COLOURS.length];
  }

  static String stageColour(final String stage, final List<String> stages) {
    final String known = STAGE_COLOURS.get(stage);
    if (known != null) {
      return known;
    }
    int other = 0;
    for (final String s : stages) {
      if (s.equals(stage)) {
        break;
      }
      other += STAGE_COLOURS.containsKey(s) ? 0 : 1;
    }
    return OTHER_STAGE_COLOURS[other % OTHER_STAGE_COLOURS.length];
  }

  /** Red (0) through yellow to green (1). */
  static String accuracyColour(final double share) {
    final double x = Math.max(0, Math.min(1, share)) * (ACCURACY_STOPS.length - 1);
    final int i = Math.min((int) x, ACCURACY_STOPS.length - 2);
    final double t = x - i;
    final int a = ACCURACY_STOPS[i];
    final int b = ACCURACY_STOPS[i + 1];
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      final int ca = a >> shift & 0xff;
      final int cb = b >> shift & 0xff;
      rgb |= (int) Math.round(ca + (cb - ca) * t) << shift;
    }
    return String.format(Locale.ROOT, "#%06x", rgb);
  }

  /** Dark text on light cells, white on dark ones (relative luminance). */
  private static String textOn(final String hex) {
    final int rgb = Integer.parseInt(hex.substring(1), 16);
    final double lum = (0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff)) / 255;
    return lum < 0.55 ? "#ffffff" : "#1f2328";
  }

  private static StringBuilder open(final String kind, final double w, final double h, final String title,
      final boolean capWidth) {
    final StringBuilder b = new StringBuilder(4096);
    b.append("<svg class=\"chart ").append(kind).append("\" viewBox=\"0 0 ").append(c(w)).append(' ').append(c(h))
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append('"');
    if (capWidth) {
      // Never drawn larger than designed: text would grow with the page.
      b.append(" style=\"max-width:").append(c(w)).append("px\"");
    }
    b.append("><title>").append(esc(title)).append("</title>");
    return b;
  }

  private static void text(final StringBuilder b, final double x, final double y, final String anchor,
      final String cls, final String s) {
    b.append("<text x=\"").append(c(x)).append("\" y=\"").append(c(y)).append('"');
    if (!"start".equals(anchor)) {
      b.append(" text-anchor=\"").append(anchor).append('"');
    }
    if (!cls.isEmpty()) {
      b.append(" class=\"").append(cls).append('"');
    }
    b.append('>').append(esc(s)).append("</text>");
  }

  private static void line(final StringBuilder b, final double x1, final double y1, final double x2, final double y2,
      final String stroke, final double width) {
    b.append("<line x1=\"").append(c(x1)).append("\" y1=\"").append(c(y1)).append("\" x2=\"").append(c(x2))
        .append("\" y2=\"").append(c(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
        .append(c(width)).append("\"/>");
  }

  private static void rect(final StringBuilder b, final String cls, final double x, final double y, final double w,
      final double h, final String fill, final String extra) {
    b.append("<rect");
    if (!cls.isEmpty()) {
      b.append(" class=\"").append(cls).append('"');
    }
    b.append(" x=\"").append(c(x)).append("\" y=\"").append(c(y)).append("\" width=\"").append(c(w))
        .append("\" height=\"").append(c(h)).append("\" fill=\"").append(fill).append('"').append(extra);
  }

  /** A step of 1, 2 or 5 x 10^k giving about {@code ticks} intervals up to {@code max}. */
  static double niceStep(final double max, final int ticks) {
    final double raw = (max > 0 ? max : 1) / ticks;
    final double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    final double norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  }

  // ---------------------------------------------------------------- heatmap

  static String heatmap(final Method method, final NiahGrid grid) {
    final double left = 46;
    final double top = 38;
    final double cw = 62;
    final double ch = 42;
    final List<HaystackLength> rows = grid.lengths();
    final List<Double> cols = grid.depths();
    final double w = left + cols.size() * cw + 6;
    final double h = top + rows.size() * ch + 6;
    final StringBuilder b = open("heatmap", w, h, "Accuracy of " + method.id()
        + " by haystack length (rows) and needle depth (columns)", true);
    text(b, left + cols.size() * cw / 2, 13, "middle", "axis-title", "needle depth");
    for (int j = 0; j < cols.size(); j++) {
      text(b, left + j * cw + cw / 2, top - 9, "middle", "tick", Fmt.pct(cols.get(j), 0));
    }
    for (int i = 0; i < rows.size(); i++) {
      final double y = top + i * ch;
      text(b, left - 10, y + ch / 2 + 4, "end", "tick", rows.get(i).label());
      for (int j = 0; j < cols.size(); j++) {
        final double x = left + j * cw;
        final Tally t = grid.tally(method, rows.get(i), cols.get(j));
        final boolean scored = t.scored() > 0;
        final String fill = scored ? accuracyColour(t.accuracy()) : EMPTY_CELL;
        final String ink = scored ? textOn(fill) : MUTED;
        b.append("<g>");
        rect(b, "cell", x + 1, y + 1, cw - 2, ch - 2, fill, " rx=\"3\"><title>" + esc(rows.get(i).label()
            + ", depth " + Fmt.pct(cols.get(j), 0) + ": " + cellNote(t)) + "</title></rect>");
        b.append("<text x=\"").append(c(x + cw / 2)).append("\" y=\"").append(c(y + ch / 2 + 1))
            .append("\" text-anchor=\"middle\" class=\"cell-value\" fill=\"").append(ink).append("\">")
            .append(scored ? Fmt.pct(t.accuracy(), 0) : Fmt.NONE).append("</text>");
        b.append("<text x=\"").append(c(x + cw / 2)).append("\" y=\"").append(c(y + ch / 2 + 15))
            .append("\" text-anchor=\"middle\" class=\"cell-n\" fill=\"").append(ink).append("\">n=").append(t.n())
            .append("</text></g>");
      }
    }
    return b.append("</svg>").toString();
  }

  private static String cellNote(final Tally t) {
    if (t.n() == 0) {
      return "no items";
    }
    final StringBuilder s = new StringBuilder();
    s.append(t.correct()).append(" of ").append(t.scored()).append(" correct");
    if (t.parseFailures() > 0) {
      s.append(", ").append(t.parseFailures()).append(" parse failures");
    }
    final int apart = t.unscored() + t.unanswerable() + t.errors();
    if (apart > 0) {
      s.append(", ").append(apart).append(" not scored (errors, unanswerable, unscored)");
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- tokens vs accuracy

  static String tokensAccuracy(final List<Method> methods, final List<CurvePoint> points) {
    return tokensAccuracy(methods, points,
        "Accuracy against mean kept tokens per item, one series per method, one point per video length");
  }

  /** The tokens-vs-accuracy chart with its own accessible description. */
  static String tokensAccuracy(final List<Method> methods, final List<CurvePoint> points, final String title) {
    final double w = 900;
    final double h = 380;
    final double ml = 64;
    final double mr = 24;
    final double mt = 18;
    final double mb = 54;
    final double pw = w - ml - mr;
    final double ph = h - mt - mb;
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (final CurvePoint p : points) {
      if (!Double.isNaN(p.meanKeptTokens())) {
        lo = Math.min(lo, p.meanKeptTokens());
        hi = Math.max(hi, p.meanKeptTokens());
      }
    }
    // Within one run every method works to the same budget, so the points crowd near it; an axis from
    // 0 would squeeze them into a sliver. Zoom in then, and say so on the axis.
    final double step;
    final double xMin;
    final double xMax;
    if (hi > 0 && lo > 0.5 * hi) {
      final double span = Math.max(hi - lo, 0.05 * hi);
      step = niceStep(span * 1.3, 5);
      xMin = Math.max(0, Math.floor((lo - 0.15 * span) / step) * step);
      xMax = Math.ceil((hi + 0.15 * span) / step) * step;
    } else {
      step = niceStep(Math.max(hi, 1) * 1.05, 6);
      xMin = 0;
      xMax = Math.max(step, Math.ceil(hi * 1.05 / step) * step);
    }
    final StringBuilder b = open("tokens-accuracy", w, h, title, true);
    for (int k = 0; k <= 5; k++) {
      final double y = mt + ph - ph * k / 5.0;
      line(b, ml, y, ml + pw, y, GRID_LINE, 1);
      text(b, ml - 8, y + 4, "end", "tick", (k * 20) + "%");
    }
    for (double v = xMin; v <= xMax + step / 2; v += step) {
      final double x = ml + pw * (v - xMin) / (xMax - xMin);
      line(b, x, mt, x, mt + ph, GRID_LINE, 1);
      text(b, x, mt + ph + 18, "middle", "tick", Fmt.num(v));
    }
    line(b, ml, mt + ph, ml + pw, mt + ph, AXIS, 1);
    line(b, ml, mt, ml, mt + ph, AXIS, 1);
    text(b, ml + pw / 2, h - 10, "middle", "axis-title", "mean kept tokens per item"
        + (xMin > 0 ? " (axis starts at " + Fmt.num(xMin) + ")" : ""));
    b.append("<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(16 ")
        .append(c(mt + ph / 2)).append(") rotate(-90)\">accuracy</text>");
    final List<double[]> labels = new ArrayList<>();
    final List<String> labelTexts = new ArrayList<>();
    final List<double[]> occupied = new ArrayList<>();
    for (final Method m : methods) {
      final List<CurvePoint> series = new ArrayList<>();
      for (final CurvePoint p : points) {
        if (p.method() == m && !Double.isNaN(p.tally().accuracy()) && !Double.isNaN(p.meanKeptTokens())) {
          series.add(p);
        }
      }
      if (series.isEmpty()) {
        continue;
      }
      series.sort(Comparator.comparingLong(CurvePoint::order));
      final String colour = methodColour(m);
      b.append("<g class=\"series\" data-method=\"").append(esc(m.id())).append("\">");
      // Only needle lengths form a curve (the same needles in ever longer haystacks); the duration
      // classes hold different benchmark items, and a line through them would suggest a trend.
      final List<CurvePoint> needles = series.stream().filter(CurvePoint::needle).toList();
      if (needles.size() > 1) {
        b.append("<polyline fill=\"none\" stroke=\"").append(colour)
            .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-opacity=\"0.8\" points=\"");
        for (final CurvePoint p : needles) {
          b.append(c(ml + pw * (p.meanKeptTokens() - xMin) / (xMax - xMin))).append(',')
              .append(c(mt + ph - ph * p.tally().accuracy())).append(' ');
        }
        b.setLength(b.length() - 1);
        b.append("\"/>");
      }
      for (final CurvePoint p : series) {
        final double x = ml + pw * (p.meanKeptTokens() - xMin) / (xMax - xMin);
        final double y = mt + ph - ph * p.tally().accuracy();
        final String tip = m.id() + ", " + p.group() + ": " + Fmt.pct(p.tally().accuracy(), 1) + " ("
            + p.tally().correct() + " of " + p.tally().scored() + ") at " + Fmt.num(p.meanKeptTokens())
            + " kept tokens";
        b.append(marker(m, x, y, colour, tip));
        labels.add(new double[] {x, y});
        labelTexts.add(p.group());
        occupied.add(new double[] {x - 7, y - 7, x + 7, y + 7});
      }
      b.append("</g>");
    }
    // Labels last, each at the first spot around its point that no marker or earlier label covers:
    // methods at the same budget often land on the same point.
    for (int i = 0; i < labels.size(); i++) {
      final double x = labels.get(i)[0];
      final double y = labels.get(i)[1];
      final double tw = 6.5 * labelTexts.get(i).length() + 2;
      double[] best = null;
      for (final double[] spot : new double[][] {{x + 8, y - 7}, {x + 8, y + 14}, {x - 8 - tw, y - 7},
          {x - 8 - tw, y + 14}, {x + 10, y + 4}, {x - 10 - tw, y + 4}, {x - tw / 2, y - 11}, {x - tw / 2, y + 20}}) {
        final double[] box = {spot[0], spot[1] - 10, spot[0] + tw, spot[1] + 2};
        if (occupied.stream().noneMatch(o -> box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3])) {
          best = box;
          break;
        }
      }
      if (best != null) {
        occupied.add(best);
        text(b, best[0], best[3] - 2, "start", "point-label", labelTexts.get(i));
      }
    }
    return b.append("</svg>").toString();
  }

  /** A marker whose shape, not only its colour, tells the method apart. */
  static String marker(final Method m, final double x, final double y, final String colour, final String tip) {
    final String t = "<title>" + esc(tip) + "</title>";
    final String style = " fill=\"" + colour + "\" stroke=\"#ffffff\" stroke-width=\"1.5\"";
    return switch (m.ordinal() % 3) {
      case 0 -> "<circle class=\"point\" cx=\"" + c(x) + "\" cy=\"" + c(y) + "\" r=\"5.5\"" + style + ">" + t
          + "</circle>";
      case 1 -> "<rect class=\"point\" x=\"" + c(x - 5) + "\" y=\"" + c(y - 5) + "\" width=\"10\" height=\"10\""
          + style + ">" + t + "</rect>";
      default -> "<path class=\"point\" d=\"M" + c(x) + " " + c(y - 6.5) + "L" + c(x + 6.5) + " " + c(y + 5) + "L"
          + c(x - 6.5) + " " + c(y + 5) + "Z\"" + style + ">" + t + "</path>";
    };
  }

  // ---------------------------------------------------------------- stage times

  static String stageTimes(final List<Method> methods, final Map<Method, MethodStats> stats,
      final List<String> stages) {
    final double w = 900;
    final double label = 92;
    final double right = 96;
    final double rowH = 34;
    final double top = 8;
    final double axisH = 34;
    final double pw = w - label - right;
    final double h = top + methods.size() * rowH + axisH;
    double max = 0;
    for (final Method m : methods) {
      final double total = stats.get(m).efficiency().meanTotalMillis();
      if (total > 0) {
        max = Math.max(max, total);
      }
    }
    final double step = niceStep(max, 5);
    final double xMax = Math.max(step, Math.ceil(max / step) * step);
    final StringBuilder b = open("stage-times", w, h, "Mean time per item by pipeline stage, per method", true);
    final double base = top + methods.size() * rowH;
    for (double v = 0; v <= xMax + step / 2; v += step) {
      final double x = label + pw * v / xMax;
      line(b, x, top, x, base, GRID_LINE, 1);
      text(b, x, base + 18, "middle", "tick", v == 0 ? "0" : step >= 1000 ? Fmt.num(v / 1000) + " s"
          : Fmt.num(v) + " ms");
    }
    for (int i = 0; i < methods.size(); i++) {
      final Method m = methods.get(i);
      final Efficiency e = stats.get(m).efficiency();
      final double y = top + i * rowH + 6;
      text(b, label - 10, y + 15, "end", "row-label", m.id());
      double x = label;
      b.append("<g class=\"bar\" data-method=\"").append(esc(m.id())).append("\">");
      for (final String s : stages) {
        final double v = e.meanStageMillis().getOrDefault(s, 0.0);
        if (!(v > 0)) {
          continue;
        }
        final double sw = pw * v / xMax;
        rect(b, "segment", x, y, sw, rowH - 12, stageColour(s, stages), "><title>" + esc(m.id() + " " + s + ": "
            + Fmt.ms(v) + " per item (" + Fmt.pct(v / e.meanTotalMillis(), 0) + ")") + "</title></rect>");
        x += sw;
      }
      b.append("</g>");
      text(b, x + 6, y + 15, "start", "value", Fmt.ms(e.meanTotalMillis()));
    }
    line(b, label, base, label + pw, base, AXIS, 1);
    return b.append("</svg>").toString();
  }

  // ---------------------------------------------------------------- timeline

  private static final long[] TIME_STEPS_SECONDS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
      10800, 21600, 43200, 86400};

  /** A clock-friendly tick step (10 s, 1 min, 5 min, 1 h, ...) giving at most {@code ticks} intervals. */
  static double timeStep(final long durationMicros, final int ticks) {
    for (final long s : TIME_STEPS_SECONDS) {
      if (durationMicros / (s * 1e6) <= ticks) {
        return s * 1e6;
      }
    }
    return niceStep(durationMicros, ticks);
  }

  /** Width the timeline's time axis runs over, or 0 when the result has no time line to draw. */
  static long timelineMicros(final Failure f) {
    final ItemResult r = f.result();
    long end = Math.max(r.videoMicros(), r.atMicros());
    for (final SpanRun run : r.runs()) {
      end = Math.max(end, run.endMicros());
    }
    final EvalItem item = f.item();
    if (item != null && item.needle() != null) {
      // The item's whole video even when nothing was measured (an error), so the needle sits where it is.
      end = Math.max(end, Math.max(item.needle().endMicros(),
          item.needle().haystackMicros() + item.needle().durationMicros()));
    }
    return end;
  }

  static String timeline(final Failure f) {
    final ItemResult r = f.result();
    final long duration = timelineMicros(f);
    final double w = 1000;
    final double h = 74;
    final double ml = 8;
    final double mr = 8;
    final double base = 50;
    final double maxBar = 30;
    final double pw = w - ml - mr;
    final StringBuilder b = open("timeline", w, h, "Timeline of " + r.itemId() + " with " + r.method().id()
        + ": needle interval, selected tokens and the answer's time", false);
    rect(b, "track", ml, base - maxBar, pw, maxBar, "#f6f8fa", "/>");
    final EvalItem item = f.item();
    final NeedleTruth needle = item == null ? null : item.needle();
    if (needle != null) {
      final double x1 = ml + pw * needle.startMicros() / duration;
      final double nw = Math.max(3, pw * (needle.endMicros() - needle.startMicros()) / duration);
      rect(b, "needle", x1, base - maxBar - 8, nw, maxBar + 8, NEEDLE_COLOUR, " fill-opacity=\"0.45\" stroke=\""
          + NEEDLE_COLOUR + "\"><title>" + esc("needle '" + needle.label() + "' " + Fmt.time(needle.startMicros())
          + " to " + Fmt.time(needle.endMicros())) + "</title></rect>");
      final boolean rightHalf = x1 > w / 2;
      text(b, rightHalf ? x1 - 4 : x1 + nw + 4, base - maxBar - 1, rightHalf ? "end" : "start", "needle-label",
          "needle");
    }
    int maxTokens = 1;
    for (final SpanRun run : r.runs()) {
      maxTokens = Math.max(maxTokens, run.tokens());
    }
    final String colour = methodColour(r.method());
    for (final SpanRun run : r.runs()) {
      final double x = ml + pw * run.startMicros() / duration;
      final double rw = Math.max(1.5, pw * (run.endMicros() - run.startMicros()) / duration);
      final double rh = Math.max(3, maxBar * run.tokens() / maxTokens);
      rect(b, "run", x, base - rh, rw, rh, colour, " fill-opacity=\"0.85\"><title>" + esc(run.tokens()
          + " tokens, " + Fmt.time(run.startMicros()) + " to " + Fmt.time(run.endMicros())) + "</title></rect>");
    }
    line(b, ml, base, ml + pw, base, AXIS, 1);
    final double step = timeStep(duration, 8);
    for (double t = 0; t <= duration + 1; t += step) {
      final double x = ml + pw * t / duration;
      line(b, x, base, x, base + 4, AXIS, 1);
      text(b, Math.max(ml + 12, Math.min(w - mr - 12, x)), base + 17, "middle", "tick", Fmt.tick((long) t));
    }
    if (r.atMicros() >= 0) {
      final double x = ml + pw * r.atMicros() / duration;
      b.append("<g class=\"answer\"><title>").append(esc("answer at " + Fmt.time(r.atMicros()))).append("</title>");
      line(b, x, base - maxBar - 6, x, base + 2, ANSWER_COLOUR, 2);
      b.append("<path d=\"M").append(c(x - 5)).append(' ').append(c(base - maxBar - 13)).append("L").append(c(x + 5))
          .append(' ').append(c(base - maxBar - 13)).append("L").append(c(x)).append(' ')
          .append(c(base - maxBar - 5)).append("Z\" fill=\"").append(ANSWER_COLOUR).append("\"/></g>");
    }
    return b.append("</svg>").toString();
  }
}
