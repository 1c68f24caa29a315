package io.vidctx.tokencompress.text;

import io.vidctx.encoder.ocr.TextNormalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Design. OCR output is noisy ("SlNTEL" for "SINTEL", spaces dropped or added), so texts are
 * compared as bags of character 2- and 3-grams of their compact form (TextNormalizer): one wrong
 * character costs a few grams, not the whole word, and a phrase inside a longer line still finds all
 * its grams. The score of a phrase against a text is its idf-weighted containment:
 *   sum over the phrase's grams g of idf(g) * min(tf_phrase(g), tf_text(g)) / sum of idf(g) * tf_phrase(g),
 * in [0, 1]: 1 when every gram of the phrase occurs in the text. idf is BM25's, over the indexed
 * texts, so grams every line shares ("th", "the") weigh little. A gram no text holds weighs as one
 * that a single text holds: a misread character ("SlNTEL") creates grams found nowhere, and weighing
 * them above the rarest real gram would punish the misreading twice. A phrase shorter than two
 * characters is one gram of itself.
 */
/**
 * Character n-gram index over a fixed list of texts (the text tokens of a memory or a context):
 * scores phrases (an option, a quoted string, a question's words) against every text, tolerant to
 * case, accents, spacing and OCR misreadings. Immutable and thread-safe once built; building costs
 * O(total characters).
 */
public final class LexicalIndex {
  /** A text matches a phrase at or above this score by default: half of the phrase's weighted grams. */
  public static final double DEFAULT_MATCH = 0.5;

  private final List<Map<String, Integer>> docs;
  private final Map<String, Integer> df = new HashMap<>();
  private final int n;

  /** The best score of each text over the phrases, and which phrase gave it (-1 when none scored). */
  public record Scores(float[] score, int[] phrase) {

    /** Index of the best-scoring text, -1 when no text scored above 0 (ties to the earlier text). */
    public int best() {
      int b = -1;
      for (int i = 0; i < score.length; i++) {
        if (score[i] > 0 && (b < 0 || score[i] > score[b])) {
          b = i;
        }
      }
      return b;
    }
  }

  public LexicalIndex(final List<String> texts) {
    this.n = texts.size();
    this.docs = texts.stream().map(t -> grams(TextNormalizer.compact(t))).toList();
    for (final Map<String, Integer> d : docs) {
      for (final String g : d.keySet()) {
        df.merge(g, 1, Integer::sum);
      }
    }
  }

  public int size() {
    return n;
  }

  /** BM25's idf of a gram over the indexed texts (a gram in no text weighs as one in a single text). */
  double idf(final String gram) {
    final int f = Math.max(1, df.getOrDefault(gram, 0));
    return Math.log(1 + (n - f + 0.5) / (f + 0.5));
  }

  /** The score of {@code phrase} against text {@code i}, in [0, 1] (0 for a phrase with no letters or digits). */
  public double score(final String phrase, final int i) {
    return containment(grams(TextNormalizer.compact(phrase)), docs.get(i));
  }

  /** Every text's best score over the phrases (phrases without letters or digits are ignored). */
  public Scores score(final List<String> phrases) {
    final float[] best = new float[n];
    final int[] which = new int[n];
    java.util.Arrays.fill(which, -1);
    for (int p = 0; p < phrases.size(); p++) {
      final Map<String, Integer> q = grams(TextNormalizer.compact(phrases.get(p)));
      if (q.isEmpty()) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        final float s = (float) containment(q, docs.get(i));
        if (s > best[i]) {
          best[i] = s;
          which[i] = p;
        }
      }
    }
    return new Scores(best, which);
  }

  private double containment(final Map<String, Integer> phrase, final Map<String, Integer> doc) {
    double hit = 0;
    double all = 0;
    for (final Map.Entry<String, Integer> e : phrase.entrySet()) {
      final double w = idf(e.getKey());
      all += w * e.getValue();
      hit += w * Math.min(e.getValue(), doc.getOrDefault(e.getKey(), 0));
    }
    return all == 0 ? 0 : hit / all;
  }

  /** The 2- and 3-grams of a compact string with their counts; a 1-character string is its own gram. */
  static Map<String, Integer> grams(final String s) {
    final Map<String, Integer> g = new HashMap<>();
    if (s.isEmpty()) {
      return g;
    }
    if (s.codePointCount(0, s.length()) == 1) {
      g.put(s, 1);
      return g;
    }
    final int[] cps = s.codePoints().toArray();
    for (int k = 2; k <= 3; k++) {
      for (int i = 0; i + k <= cps.length; i++) {
        g.merge(new String(cps, i, k), 1, Integer::sum);
      }
    }
    return g;
  }
}
