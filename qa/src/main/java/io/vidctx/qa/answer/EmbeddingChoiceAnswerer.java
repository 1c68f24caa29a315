package io.vidctx.qa.answer;

import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Question;
import io.vidctx.qa.QueryKind;
import io.vidctx.qa.UnanswerableException;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.query.QueryPhrases;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.merge.Vectors;
import io.vidctx.tokencompress.select.TextHit;
import io.vidctx.tokencompress.select.TimeRange;
import io.vidctx.tokencompress.text.LexicalIndex;
import io.vidctx.tokencompress.text.TextMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/*
 * Design. Multiple choice: each option's text embedding is compared with every selected token; an
 * option's score is the mean of its top-k cosines (k = 8: one lucky token should not decide, and a
 * needle holds few tokens), the choice is the best score, the confidence the softmax of the scores
 * at CLIP's logit scale (100), the evidence the spans of its top tokens within 0.05 of its best. Grounding (an open question matched by an example image or a
 * text tower): each segment of the selection scores the mean, over query vectors, of its best cosine
 * (a Chamfer similarity: an example image's 16 merged tokens must all find a match, so one generic
 * patch such as a flat sky that happens to match well elsewhere cannot win); the answer is the middle
 * of the best segment's token closest to the query as a whole, the evidence that segment's spans, the
 * confidence the softmax of the segment scores at the same logit scale.
 *
 * On-screen text (OCR text tokens in the context) comes first when it settles the question: an
 * option that the text contains (TextMatcher score >= 0.5: a line, or all lines on screen with it) and that beats the runner-up by 0.15 is
 * chosen from the text, its evidence the spans of the text that says it; an open question answers
 * with the best matched text and its time. Text that does not tell the options apart is not guessed
 * from: the embedding path takes over, or, without a text tower, the answer is that no option is on
 * screen (choice -1, a miss), since the text was read.
 */
/**
 * The built-in answerer: multiple choice and short factual questions from on-screen text (OCR text
 * tokens in the context), multiple choice by embedding (needs a CLIP-family text tower), and temporal
 * grounding for open questions asked with an example image or through a text tower ("when does this
 * appear?"). It never calls a remote model.
 */
public final class EmbeddingChoiceAnswerer implements Answerer {
  /** Tokens whose cosine to an option is averaged into its score. */
  static final int TOP_K = 8;
  /** CLIP's learned logit scale: softmax(100 · cosine) over the options. */
  static final double LOGIT_SCALE = 100;
  /** A chosen option's top tokens within this cosine of its best one are its evidence. */
  static final float EVIDENCE_MARGIN = 0.05f;
  /** Evidence spans closer than this are reported as one range. */
  static final long JOIN_GAP_MICROS = 1_000_000L;
  /** An option must score at least this against on-screen text to be chosen from it. */
  static final double TEXT_MATCH = LexicalIndex.DEFAULT_MATCH;
  /** ... and beat the runner-up by this much, or the text does not tell the options apart. */
  static final double TEXT_MARGIN = 0.15;
  /** Softmax scale over the options' text scores (a full match against none: e^10). */
  static final double TEXT_SCALE = 10;

  private final @Nullable TextEncoder text;

  /** @param text the text tower matching the video's vision encoder, or null (grounding only) */
  public EmbeddingChoiceAnswerer(final @Nullable TextEncoder text) {
    this.text = text;
  }

  @Override
  public String name() {
    return "embedding";
  }

  @Override
  public Answer answer(final Question question, final VideoContext context) {
    final long t0 = System.nanoTime();
    if (context.selection().size() == 0) {
      throw new AnswerException("the context holds no tokens (an empty video or memory): nothing to answer from");
    }
    if (question.isMultipleChoice()) {
      final TextChoice byText = chooseByText(question, context);
      if (byText.answer != null) {
        return byText.answer.withNanos(System.nanoTime() - t0);
      }
      if (text == null && context.textRead()) {
        // The text was read and none of the options is in it: an answer ("not on screen"), scored as a miss.
        final String why = byText.why != null ? byText.why : "no on-screen text was found in the context";
        return new Answer(Answer.Status.ANSWERED, "none of the options is in the on-screen text: " + why, -1, 0,
            List.of(), name(), null, System.nanoTime() - t0);
      }
      return choose(question, context, t0);
    }
    if (context.queryKind() != QueryKind.IMAGE) {
      final Answer read = readText(context, t0);
      if (read != null) {
        return read;
      }
    }
    if (context.queryKind() == QueryKind.COVERAGE) {
      throw new UnanswerableException("the built-in answerer cannot answer an open question without a query to match:"
          + " no on-screen text matched it" + (context.texts().isEmpty() ? " (none was read: pass --ocr)" : "")
          + "; give --choices, an example picture with --image, a CLIP model, or an external model with --vlm URL");
    }
    return ground(context, t0);
  }

  /** A choice made from on-screen text, or why the text did not settle it (null when there was no text). */
  private record TextChoice(@Nullable Answer answer, @Nullable String why) {}

  private TextChoice chooseByText(final Question question, final VideoContext context) {
    final List<TextHit> texts = context.texts();
    if (texts.isEmpty()) {
      return new TextChoice(null, null);
    }
    final TextMatcher index = new TextMatcher(texts.stream().map(TextHit::token).toList());
    final List<String> options = question.choices();
    double[] score = optionScores(index, "", options, null);
    int best = argMax(score);
    String prefix = "";
    final List<String> words = QueryPhrases.of(Question.open(question.text()));
    if (score[best] >= TEXT_MATCH && score[best] - runnerUp(score, best) < TEXT_MARGIN && !words.isEmpty()) {
      // Several options are on screen (credits list every name): the one shown with the question's
      // words wins ("who wrote the script?": the screen that says SCRIPT names one of them).
      prefix = String.join(" ", words) + " ";
      score = optionScores(index, prefix, options, score);
      best = argMax(score);
    }
    final double second = runnerUp(score, best);
    if (score[best] < TEXT_MATCH || score[best] - second < TEXT_MARGIN) {
      return new TextChoice(null, String.format(Locale.ROOT, "the on-screen text in the context (%d line(s)) does"
          + " not settle the options (best %s scored %.2f, runner-up %.2f)", texts.size(),
          Question.letter(best), score[best], second));
    }
    double z = 0;
    for (final double v : score) {
      z += Math.exp(TEXT_SCALE * (v - score[best]));
    }
    final List<EvidenceRange> evidence = new ArrayList<>();
    for (int k = 0; k < texts.size(); k++) {
      final double v = index.score(prefix + options.get(best), k);
      if (v >= score[best] - EVIDENCE_MARGIN) {
        evidence.add(new EvidenceRange(texts.get(k).token().startMicros(), texts.get(k).token().endMicros(), v));
      }
    }
    return new TextChoice(new Answer(Answer.Status.ANSWERED, options.get(best), best, 1 / z, joined(evidence), name(),
        null, 0), null);
  }

  /**
   * Each option's best score, {@code prefix} + option, against the texts; with {@code only}, options
   * that scored below the match threshold there stay at 0.
   */
  private static double[] optionScores(final TextMatcher index, final String prefix, final List<String> options,
      final double @Nullable [] only) {
    final double[] score = new double[options.size()];
    for (int o = 0; o < score.length; o++) {
      if (only != null && only[o] < TEXT_MATCH) {
        continue;
      }
      for (int k = 0; k < index.size(); k++) {
        score[o] = Math.max(score[o], index.score(prefix + options.get(o), k));
      }
    }
    return score;
  }

  /** Index of the largest value, ties to the first. */
  private static int argMax(final double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The largest value other than {@code v[best]}'s position, 0 when there is none. */
  private static double runnerUp(final double[] v, final int best) {
    double second = 0;
    for (int i = 0; i < v.length; i++) {
      if (i != best) {
        second = Math.max(second, v[i]);
      }
    }
    return second;
  }

  /**
   * An open question answered by the best on-screen text that matched it (ties: the text on screen
   * longest, then the earliest), or null when none did; every matched text as good is evidence.
   */
  private @Nullable Answer readText(final VideoContext context, final long t0) {
    TextHit best = null;
    for (final TextHit h : context.texts()) {
      if (h.matched() && (best == null || h.score() > best.score()
          || h.score() == best.score() && h.token().readings() > best.token().readings())) {
        best = h;
      }
    }
    if (best == null) {
      return null;
    }
    final List<EvidenceRange> evidence = new ArrayList<>();
    for (final TextHit h : context.texts()) {
      if (h.matched() && h.score() >= best.score() - EVIDENCE_MARGIN) {
        evidence.add(new EvidenceRange(h.token().startMicros(), h.token().endMicros(), h.score()));
      }
    }
    final TextToken t = best.token();
    return new Answer(Answer.Status.ANSWERED, t.text(), -1, Math.min(1, best.score()), joined(evidence), name(), null,
        System.nanoTime() - t0, (t.startMicros() + t.endMicros()) / 2);
  }

  private Answer choose(final Question question, final VideoContext context, final long t0) {
    if (text == null) {
      throw new UnanswerableException("multiple choice by embedding needs a CLIP-family model with a text tower (the"
          + " built-in encoder has none): use --model DIR with a CLIP export, or an external model with --vlm URL");
    }
    final TokenBlock tokens = context.tokens();
    final int n = tokens.size();
    final int d = tokens.dim();
    final float[][] options = text.embed(question.choices());
    if (options[0].length != d) {
      throw new AnswerException("the text tower gives " + options[0].length + "-d embeddings but the context's"
          + " tokens are " + d + "-d: use the text tower of the model that encoded the video");
    }
    final float[] emb = tokens.embeddings();
    final float[] inv = inverseNorms(emb, n, d);
    final double[] score = new double[options.length];
    final int[][] top = new int[options.length][];
    final float[][] cosines = new float[options.length][];
    for (int o = 0; o < options.length; o++) {
      final float[] cos = cosines(emb, inv, d, options[o]);
      top[o] = topK(cos, Math.min(TOP_K, n));
      cosines[o] = cos;
      double sum = 0;
      for (final int i : top[o]) {
        sum += cos[i];
      }
      score[o] = sum / top[o].length;
    }
    final int best = argMax(score);
    double z = 0;
    for (final double s : score) {
      z += Math.exp(LOGIT_SCALE * (s - score[best]));
    }
    final double confidence = 1 / z;
    // Evidence: the chosen option's top tokens within a small margin of its best one (a context with
    // few tokens of the matching moment must not pad its evidence with unrelated ones).
    final float[] bestCos = cosines[best];
    final float floor = bestCos[top[best][0]] - EVIDENCE_MARGIN;
    final int[] close = Arrays.stream(top[best]).filter(i -> bestCos[i] >= floor).toArray();
    final List<EvidenceRange> evidence = ranges(tokens, close, null);
    return new Answer(Answer.Status.ANSWERED, question.choices().get(best), best, confidence, evidence, name(), null,
        System.nanoTime() - t0);
  }

  private Answer ground(final VideoContext context, final long t0) {
    final TokenBlock tokens = context.tokens();
    final int n = tokens.size();
    final int d = tokens.dim();
    final float[][] q = context.queryVectors();
    final int[] segOf = context.selection().segment();
    final float[] emb = tokens.embeddings();
    final float[] inv = inverseNorms(emb, n, d);
    // cos[i * L + l]: token i against query vector l.
    final int nq = q.length;
    final float[] cos = new float[n * nq];
    final float[] meanCos = new float[n];
    for (int l = 0; l < nq; l++) {
      final float[] c = cosines(emb, inv, d, q[l]);
      for (int i = 0; i < n; i++) {
        cos[i * nq + l] = c[i];
        meanCos[i] += c[i] / nq;
      }
    }
    // Per segment: the mean over query vectors of the best cosine among its selected tokens.
    int segments = 0;
    for (final int s : segOf) {
      segments = Math.max(segments, s + 1);
    }
    final float[] best = new float[segments * nq];
    Arrays.fill(best, -2f);
    final boolean[] present = new boolean[segments];
    for (int i = 0; i < n; i++) {
      present[segOf[i]] = true;
      for (int l = 0; l < nq; l++) {
        best[segOf[i] * nq + l] = Math.max(best[segOf[i] * nq + l], cos[i * nq + l]);
      }
    }
    final double[] chamfer = new double[segments];
    int top = -1;
    for (int s = 0; s < segments; s++) {
      if (!present[s]) {
        continue;
      }
      double sum = 0;
      for (int l = 0; l < nq; l++) {
        sum += best[s * nq + l];
      }
      chamfer[s] = sum / nq;
      if (top < 0 || chamfer[s] > chamfer[top]) {
        top = s;
      }
    }
    double z = 0;
    for (int s = 0; s < segments; s++) {
      if (present[s]) {
        z += Math.exp(LOGIT_SCALE * (chamfer[s] - chamfer[top]));
      }
    }
    // Within the best segment, the token closest to the query as a whole places the answer.
    int at = -1;
    final List<Integer> inTop = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (segOf[i] == top) {
        inTop.add(i);
        if (at < 0 || meanCos[i] > meanCos[at]) {
          at = i;
        }
      }
    }
    final List<EvidenceRange> evidence = ranges(tokens, inTop.stream().mapToInt(Integer::intValue).toArray(),
        meanCos);
    final long when = (long) tokens.midPts(at);
    final String where = String.format(Locale.ROOT, "at %s (best match %s-%s, similarity %.3f)", TimeRange.format(when),
        TimeRange.format(tokens.startPts(at)), TimeRange.format(tokens.endPts(at)), chamfer[top]);
    return new Answer(Answer.Status.ANSWERED, where, -1, 1 / z, evidence, name(), null, System.nanoTime() - t0,
        when);
  }

  /** Text evidence in time order, overlapping spans (lines of one screen) joined, score the best inside. */
  static List<EvidenceRange> joined(final List<EvidenceRange> ranges) {
    final List<EvidenceRange> sorted = new ArrayList<>(ranges);
    sorted.sort(java.util.Comparator.comparingLong(EvidenceRange::startMicros));
    final List<EvidenceRange> out = new ArrayList<>();
    for (final EvidenceRange r : sorted) {
      final EvidenceRange last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && r.startMicros() <= last.endMicros()) {
        out.set(out.size() - 1, new EvidenceRange(last.startMicros(), Math.max(last.endMicros(), r.endMicros()),
            Math.max(last.score(), r.score())));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  /** Spans of the given tokens, joined when closer than a second, in time order; score = best cosine inside. */
  static List<EvidenceRange> ranges(final TokenBlock tokens, final int[] idx, final float @Nullable [] sim) {
    final int[] sorted = idx.clone();
    Arrays.sort(sorted);
    final Integer[] byStart = Arrays.stream(sorted).boxed().toArray(Integer[]::new);
    Arrays.sort(byStart, (a, b) -> Long.compare(tokens.startPts(a), tokens.startPts(b)));
    final List<EvidenceRange> out = new ArrayList<>();
    long s = Long.MIN_VALUE;
    long e = Long.MIN_VALUE;
    double score = Double.NEGATIVE_INFINITY;
    for (final int i : byStart) {
      final double v = sim != null ? sim[i] : tokens.weight(i);
      if (s != Long.MIN_VALUE && tokens.startPts(i) <= e + JOIN_GAP_MICROS) {
        e = Math.max(e, tokens.endPts(i));
        score = Math.max(score, v);
        continue;
      }
      if (s != Long.MIN_VALUE) {
        out.add(new EvidenceRange(s, e, score));
      }
      s = tokens.startPts(i);
      e = tokens.endPts(i);
      score = v;
    }
    if (s != Long.MIN_VALUE) {
      out.add(new EvidenceRange(s, e, score));
    }
    return out;
  }

  private static float[] inverseNorms(final float[] emb, final int n, final int d) {
    final float[] inv = new float[n];
    for (int i = 0; i < n; i++) {
      final float sq = Vectors.dot(emb, i * d, emb, i * d, d);
      inv[i] = sq > 0 ? (float) (1 / Math.sqrt(sq)) : 0f;
    }
    return inv;
  }

  /** Cosine of every token (rows of {@code emb}, inverse norms {@code inv}) to {@code query}. */
  private static float[] cosines(final float[] emb, final float[] inv, final int d, final float[] query) {
    final float sq = Vectors.dot(query, 0, query, 0, d);
    final float qInv = sq > 0 ? (float) (1 / Math.sqrt(sq)) : 0f;
    final float[] cos = new float[inv.length];
    for (int i = 0; i < cos.length; i++) {
      cos[i] = Vectors.dot(emb, i * d, query, 0, d) * inv[i] * qInv;
    }
    return cos;
  }

  /** Indices of the k largest values, best first, ties to the earlier index. */
  private static int[] topK(final float[] v, final int k) {
    final Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      final int c = Float.compare(v[b], v[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    final int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = order[i];
    }
    return out;
  }
}
