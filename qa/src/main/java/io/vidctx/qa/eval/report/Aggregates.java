package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.NeedleRecall;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The numbers of a report, computed from a run's items and results (joined on the item id, one
 * result per item and method). Pure: the same input gives the same output, nothing is read or
 * written.
 *
 * @param methods the methods in report order
 * @param items items in the manifest
 * @param orphanResults results whose item the manifest does not have; counted under their method
 *     (without task or needle)
 * @param stages stage names in pipeline order, then any others in the order met
 * @param byMethod per method, in {@code methods} order
 * @param tasks the items' tasks in order of first appearance; {@link #NO_TASK} for items without one
 * @param byTask per task, per method
 * @param grid the needle items' length x depth grid
 * @param curve the tokens-vs-accuracy points, per method, by group length
 * @param failures the results to draw timelines for, by method, then in manifest order
 */
public record Aggregates(List<Method> methods, int items, int orphanResults, List<String> stages,
    Map<Method, MethodStats> byMethod, List<String> tasks, Map<String, Map<Method, Tally>> byTask, NiahGrid grid,
    List<CurvePoint> curve, List<Failure> failures) {

  /** The task of items that name none. */
  public static final String NO_TASK = "(no task)";

  /** The pipeline's stages in order (see {@link ItemResult#stageNanos()}). */
  public static final List<String> PIPELINE_STAGES = List.of("decode", "encode", "ocr", "compress", "query",
      "select", "answer");

  private static final long MINUTE = 60_000_000L;

  public Aggregates {
    methods = List.copyOf(methods);
    stages = List.copyOf(stages);
    byMethod = Collections.unmodifiableMap(new LinkedHashMap<>(byMethod));
    tasks = List.copyOf(tasks);
    final Map<String, Map<Method, Tally>> t = new LinkedHashMap<>();
    byTask.forEach((k, v) -> t.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    byTask = Collections.unmodifiableMap(t);
    curve = List.copyOf(curve);
    failures = List.copyOf(failures);
  }

  /**
   * Computes the report's numbers.
   *
   * @param methods the run's methods in report order; methods that only the results name are added
   *     after them
   * @param items the manifest
   * @param results the result log; when an item and method appear twice the later result wins (a
   *     resumed log re-ran it)
   * @throws IllegalArgumentException two items with the same id
   */
  public static Aggregates of(final List<Method> methods, final List<EvalItem> items,
      final List<ItemResult> results) {
    final Map<String, EvalItem> itemById = new LinkedHashMap<>();
    for (final EvalItem item : items) {
      if (itemById.put(item.id(), item) != null) {
        throw new IllegalArgumentException("item id '" + item.id() + "' appears twice in the manifest");
      }
    }
    final Map<String, ItemResult> byKey = new LinkedHashMap<>();
    for (final ItemResult r : results) {
      byKey.remove(r.key());
      byKey.put(r.key(), r);
    }
    final Set<Method> order = new LinkedHashSet<>(methods);
    final Set<Method> extra = new TreeSet<>();
    for (final ItemResult r : byKey.values()) {
      if (!order.contains(r.method())) {
        extra.add(r.method());
      }
    }
    order.addAll(extra);

    // Per method, results in manifest order, orphans last: the order failures are listed in.
    final Map<Method, List<ItemResult>> perMethod = new LinkedHashMap<>();
    for (final Method m : order) {
      final List<ItemResult> list = new ArrayList<>();
      for (final EvalItem item : items) {
        final ItemResult r = byKey.get(ItemResult.key(item.id(), m));
        if (r != null) {
          list.add(r);
        }
      }
      perMethod.put(m, list);
    }
    int orphans = 0;
    for (final ItemResult r : byKey.values()) {
      if (!itemById.containsKey(r.itemId())) {
        perMethod.get(r.method()).add(r);
        orphans++;
      }
    }

    final List<String> stages = stages(byKey.values());
    final Map<Method, MethodStats> byMethod = new LinkedHashMap<>();
    final List<Failure> failures = new ArrayList<>();
    for (final Map.Entry<Method, List<ItemResult>> e : perMethod.entrySet()) {
      final List<ItemResult> list = e.getValue();
      final int matched = (int) list.stream().filter(r -> itemById.containsKey(r.itemId())).count();
      byMethod.put(e.getKey(), new MethodStats(e.getKey(), Tally.of(list), items.size() - matched,
          needle(list, itemById), efficiency(list, stages)));
      for (final ItemResult r : list) {
        if (isFailure(r)) {
          failures.add(new Failure(itemById.get(r.itemId()), r));
        }
      }
    }

    final Map<String, Map<Method, List<ItemResult>>> taskResults = new LinkedHashMap<>();
    for (final EvalItem item : items) {
      taskResults.computeIfAbsent(item.task() == null ? NO_TASK : item.task(), k -> new LinkedHashMap<>());
    }
    for (final Map.Entry<Method, List<ItemResult>> e : perMethod.entrySet()) {
      for (final ItemResult r : e.getValue()) {
        final EvalItem item = itemById.get(r.itemId());
        final String task = item == null || item.task() == null ? NO_TASK : item.task();
        taskResults.computeIfAbsent(task, k -> new LinkedHashMap<>())
            .computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r);
      }
    }
    final Map<String, Map<Method, Tally>> byTask = new LinkedHashMap<>();
    taskResults.forEach((task, m) -> {
      final Map<Method, Tally> t = new LinkedHashMap<>();
      for (final Method method : order) {
        t.put(method, Tally.of(m.getOrDefault(method, List.of())));
      }
      byTask.put(task, t);
    });

    return new Aggregates(List.copyOf(order), items.size(), orphans, stages, byMethod,
        List.copyOf(byTask.keySet()), byTask, grid(perMethod, itemById), curve(perMethod, itemById), failures);
  }

  public MethodStats stats(final Method method) {
    final MethodStats s = byMethod.get(method);
    if (s == null) {
      throw new IllegalArgumentException("method " + method.id() + " is not in this report: " + methods);
    }
    return s;
  }

  /** The task's counts for the method, {@link Tally#EMPTY} when it has none. */
  public Tally task(final String task, final Method method) {
    return byTask.getOrDefault(task, Map.of()).getOrDefault(method, Tally.EMPTY);
  }

  /** Whether the report draws a timeline for the result (see {@link Failure}). */
  public static boolean isFailure(final ItemResult r) {
    return r.outcome() == Outcome.WRONG || r.outcome() == Outcome.PARSE_FAILURE || r.outcome() == Outcome.ERROR
        || Boolean.FALSE.equals(r.grounded());
  }

  private static List<String> stages(final Iterable<ItemResult> results) {
    final Set<String> seen = new LinkedHashSet<>();
    for (final ItemResult r : results) {
      seen.addAll(r.stageNanos().keySet());
    }
    final List<String> out = new ArrayList<>();
    for (final String s : PIPELINE_STAGES) {
      if (seen.remove(s)) {
        out.add(s);
      }
    }
    out.addAll(seen);
    return out;
  }

  private static NeedleStats needle(final List<ItemResult> results, final Map<String, EvalItem> items) {
    int timed = 0;
    int grounded = 0;
    int untimed = 0;
    int recalled = 0;
    int hits = 0;
    double coverage = 0;
    double purity = 0;
    for (final ItemResult r : results) {
      final NeedleRecall recall = r.recall();
      if (recall != null) {
        recalled++;
        hits += recall.hit() ? 1 : 0;
        coverage += recall.coverage();
        purity += recall.purity();
      }
      final EvalItem item = items.get(r.itemId());
      if (r.grounded() != null) {
        timed++;
        grounded += r.grounded() ? 1 : 0;
      } else if (item != null && item.needle() != null && r.outcome() != Outcome.ERROR
          && r.outcome() != Outcome.UNANSWERABLE) {
        untimed++;
      }
    }
    return new NeedleStats(timed, grounded, untimed, recalled, hits,
        Tally.ratio(coverage, recalled), Tally.ratio(purity, recalled));
  }

  private static Efficiency efficiency(final List<ItemResult> results, final List<String> stages) {
    int measured = 0;
    double patch = 0;
    double memory = 0;
    double kept = 0;
    double keptWithPatch = 0;
    double total = 0;
    long heap = 0;
    final Map<String, Double> totals = new LinkedHashMap<>();
    for (final String s : stages) {
      totals.put(s, 0.0);
    }
    for (final ItemResult r : results) {
      heap = Math.max(heap, r.peakHeapBytes());
      if (r.outcome() == Outcome.ERROR) {
        continue;
      }
      measured++;
      patch += r.patchTokens();
      memory += r.memoryTokens();
      kept += r.keptTokens();
      keptWithPatch += r.patchTokens() > 0 ? r.keptTokens() : 0;
      total += r.totalNanos() / 1e6;
      r.stageNanos().forEach((s, nanos) -> totals.merge(s, nanos / 1e6, Double::sum));
    }
    final Map<String, Double> means = new LinkedHashMap<>();
    final int n = measured;
    totals.forEach((s, ms) -> means.put(s, Tally.ratio(ms, n)));
    return new Efficiency(measured, Tally.ratio(patch, n), Tally.ratio(memory, n), Tally.ratio(kept, n),
        patch > 0 ? 1 - keptWithPatch / patch : Double.NaN, means, totals, Tally.ratio(total, n), heap);
  }

  private static NiahGrid grid(final Map<Method, List<ItemResult>> perMethod, final Map<String, EvalItem> items) {
    final Set<HaystackLength> lengths = new TreeSet<>();
    final Set<Double> depths = new TreeSet<>();
    final List<NiahGrid.Cell> cells = new ArrayList<>();
    for (final Map.Entry<Method, List<ItemResult>> e : perMethod.entrySet()) {
      final Map<HaystackLength, Map<Double, List<ItemResult>>> byCell = new TreeMap<>();
      for (final ItemResult r : e.getValue()) {
        final NeedleTruth needle = needleOf(items.get(r.itemId()));
        if (needle != null) {
          final HaystackLength length = HaystackLength.of(needle.haystackMicros());
          final double depth = NiahGrid.column(needle.depth());
          lengths.add(length);
          depths.add(depth);
          byCell.computeIfAbsent(length, k -> new TreeMap<>()).computeIfAbsent(depth, k -> new ArrayList<>()).add(r);
        }
      }
      byCell.forEach((length, row) -> row.forEach((depth, list) ->
          cells.add(new NiahGrid.Cell(e.getKey(), length, depth, Tally.of(list)))));
    }
    return new NiahGrid(List.copyOf(lengths), List.copyOf(depths), cells);
  }

  private static List<CurvePoint> curve(final Map<Method, List<ItemResult>> perMethod,
      final Map<String, EvalItem> items) {
    // An item's group must not depend on the method, so non-needle items are classed by the longest
    // video any method saw for them (the methods decode the same frames; an error reports 0).
    final Map<String, Long> videoMicros = new LinkedHashMap<>();
    for (final List<ItemResult> list : perMethod.values()) {
      for (final ItemResult r : list) {
        videoMicros.merge(r.itemId(), r.videoMicros(), Math::max);
      }
    }
    final List<CurvePoint> points = new ArrayList<>();
    for (final Map.Entry<Method, List<ItemResult>> e : perMethod.entrySet()) {
      final Map<Long, List<ItemResult>> groups = new TreeMap<>();
      final Map<Long, String> labels = new LinkedHashMap<>();
      final Set<Long> needleGroups = new TreeSet<>();
      for (final ItemResult r : e.getValue()) {
        final NeedleTruth needle = needleOf(items.get(r.itemId()));
        final long order;
        final String label;
        if (needle != null) {
          final HaystackLength length = HaystackLength.of(needle.haystackMicros());
          order = length.micros();
          label = length.label();
          needleGroups.add(order);
        } else {
          final long micros = videoMicros.getOrDefault(r.itemId(), 0L);
          // Classes after Video-MME's short / medium / long split, shifted by 1 to sort after needle rows.
          order = micros < 2 * MINUTE ? 2 * MINUTE + 1 : micros < 15 * MINUTE ? 15 * MINUTE + 1
              : micros < 60 * MINUTE ? 60 * MINUTE + 1 : Long.MAX_VALUE;
          label = micros < 2 * MINUTE ? "<2m" : micros < 15 * MINUTE ? "2-15m" : micros < 60 * MINUTE ? "15-60m"
              : ">=1h";
        }
        groups.computeIfAbsent(order, k -> new ArrayList<>()).add(r);
        labels.put(order, label);
      }
      groups.forEach((order, list) -> {
        double kept = 0;
        int measured = 0;
        for (final ItemResult r : list) {
          if (r.outcome() != Outcome.ERROR) {
            kept += r.keptTokens();
            measured++;
          }
        }
        points.add(new CurvePoint(e.getKey(), labels.get(order), order, needleGroups.contains(order),
            Tally.ratio(kept, measured), Tally.of(list)));
      });
    }
    return points;
  }

  private static @Nullable NeedleTruth needleOf(final @Nullable EvalItem item) {
    return item == null ? null : item.needle();
  }
}
