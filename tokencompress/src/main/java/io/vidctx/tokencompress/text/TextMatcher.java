package io.vidctx.tokencompress.text;

import io.vidctx.encoder.ocr.TextToken;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Why whole screens too: the detector cuts a widely spaced line into boxes ("RED", "SOUTH", "90" for
 * "RED SOUTH 90" in a monospaced font), and a caption's two lines are two tokens, so a phrase that
 * spans them is found in no single token. Each token is therefore also scored through its screen: the
 * texts of every token on screen at the same time (spans overlapping), in reading order (top to
 * bottom, then left to right), joined. The token's score is the better of the two. Containment needs
 * all of a phrase's grams, so a busy screen does not make a distractor match by itself.
 */
/**
 * Scores phrases against text tokens: each token's own text and the text of its whole screen (the
 * tokens on screen with it), through one {@link LexicalIndex}. Immutable and thread-safe.
 */
public final class TextMatcher {
  private final int n;
  private final LexicalIndex index;
  /** Per token, the index document of its screen, or -1 when it was alone on screen. */
  private final int[] screen;

  public TextMatcher(final List<TextToken> tokens) {
    this.n = tokens.size();
    final List<String> docs = new ArrayList<>(n * 2);
    tokens.forEach(t -> docs.add(t.text()));
    this.screen = new int[n];
    final Map<String, Integer> screens = new HashMap<>();
    for (int i = 0; i < n; i++) {
      final TextToken t = tokens.get(i);
      final List<TextToken> with = new ArrayList<>();
      for (final TextToken o : tokens) {
        if (o.startMicros() <= t.endMicros() && t.startMicros() <= o.endMicros()) {
          with.add(o);
        }
      }
      if (with.size() < 2) {
        screen[i] = -1;
        continue;
      }
      // Every token of one screen has the same screen text: index it once (also keeps its grams'
      // document frequency at one).
      final String text = String.join(" ", readingOrder(with).stream().map(TextToken::text).toList());
      screen[i] = screens.computeIfAbsent(text, x -> {
        docs.add(x);
        return docs.size() - 1;
      });
    }
    this.index = new LexicalIndex(docs);
  }

  /**
   * Boxes in reading order: cut into lines by vertical centre (a box whose centre lies below the
   * line's first box by more than half that box's height starts a new line), each line left to right.
   */
  static List<TextToken> readingOrder(final List<TextToken> boxes) {
    final List<TextToken> byY = new ArrayList<>(boxes);
    byY.sort(Comparator.comparingInt(TextMatcher::centreY));
    final List<TextToken> out = new ArrayList<>(boxes.size());
    int from = 0;
    while (from < byY.size()) {
      final TextToken first = byY.get(from);
      int to = from + 1;
      while (to < byY.size() && centreY(byY.get(to)) - centreY(first) <= first.box().height() / 2) {
        to++;
      }
      final List<TextToken> line = new ArrayList<>(byY.subList(from, to));
      line.sort(Comparator.comparingInt(o -> o.box().x0()));
      out.addAll(line);
      from = to;
    }
    return out;
  }

  private static int centreY(final TextToken t) {
    return (t.box().y0() + t.box().y1()) / 2;
  }

  public int size() {
    return n;
  }

  /** The score of {@code phrase} against token {@code i}: its own text or its screen's, whichever is higher. */
  public double score(final String phrase, final int i) {
    final double own = index.score(phrase, i);
    return screen[i] < 0 ? own : Math.max(own, index.score(phrase, screen[i]));
  }

  /** Every token's best score over the phrases. */
  public float[] score(final List<String> phrases) {
    final LexicalIndex.Scores s = index.score(phrases);
    final float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = screen[i] < 0 ? s.score()[i] : Math.max(s.score()[i], s.score()[screen[i]]);
    }
    return out;
  }
}
