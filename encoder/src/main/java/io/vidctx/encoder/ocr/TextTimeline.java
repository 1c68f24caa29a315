package io.vidctx.encoder.ocr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * Deduplication: a text read in frame t continues an open token (one read in the previous frame)
 * when its normalised form (TextNormalizer.compact: case, accents, spaces and punctuation ignored,
 * so "THE RULES" and "THERULES" agree) equals the token's, or when it sits in the same place (boxes overlapping by half) and
 * differs by at most a quarter of its characters: OCR flickers on stylised titles ("SINTEL",
 * "SInTEL", "∫InTEL" in consecutive frames of the Sintel logo) and must not cut one title into
 * pieces. Otherwise it opens a new token; a token not read in a frame closes. The token is named by
 * its most confident reading.
 */

/** Merges per-frame OCR readings into {@link TextToken}s with time spans. Not thread-safe. */
public final class TextTimeline {

  private static final class Open {
    String key;
    String text;
    final long start;
    long end;
    TextBox box;
    float confidence;
    int readings;

    Open(final String key, final TextLine line, final long pts) {
      this.key = key;
      this.text = line.text();
      this.start = pts;
      this.end = pts;
      this.box = line.box();
      this.confidence = line.confidence();
      this.readings = 1;
    }

    TextToken close() {
      return new TextToken(text, start, end, box, confidence, readings);
    }
  }

  private static final Comparator<TextToken> ORDER =
      Comparator.comparingLong(TextToken::startMicros).thenComparing(TextToken::text);

  private final Map<String, Open> open = new LinkedHashMap<>();
  private final List<TextToken> closed = new ArrayList<>();
  private long last = Long.MIN_VALUE;

  /**
   * The lines read in the frame at {@code ptsMicros} (frames in time order; a frame may repeat the
   * previous one's readings when it was not OCR'd again).
   */
  public void accept(final long ptsMicros, final List<TextLine> lines) {
    if (ptsMicros < last) {
      throw new IllegalArgumentException("frame at " + ptsMicros + " us comes before " + last + " us");
    }
    last = ptsMicros;
    final Map<String, TextLine> now = new LinkedHashMap<>();
    for (final TextLine l : lines) {
      final String key = TextNormalizer.compact(l.text());
      if (!key.isEmpty()) {
        now.merge(key, l, (a, b) -> a.confidence() >= b.confidence() ? a : b);
      }
    }
    final Map<String, Open> still = new LinkedHashMap<>();
    final List<Map.Entry<String, TextLine>> unmatched = new ArrayList<>();
    for (final Map.Entry<String, TextLine> e : now.entrySet()) {
      Open o = open.remove(e.getKey());
      if (o == null) {
        unmatched.add(e);
      } else {
        extend(o, e.getValue(), ptsMicros);
        still.put(o.key, o);
      }
    }
    for (final Map.Entry<String, TextLine> e : unmatched) {
      Open match = null;
      for (final Open o : open.values()) {
        if (overlap(o.box, e.getValue().box()) >= 0.5 && similar(o.key, e.getKey())) {
          match = o;
          break;
        }
      }
      if (match != null) {
        open.remove(match.key);
        extend(match, e.getValue(), ptsMicros);
        if (e.getValue().confidence() >= match.confidence) {
          match.key = e.getKey();
        }
        still.put(match.key, match);
      } else if (!still.containsKey(e.getKey())) {
        still.put(e.getKey(), new Open(e.getKey(), e.getValue(), ptsMicros));
      }
    }
    open.values().forEach(o -> closed.add(o.close()));
    open.clear();
    open.putAll(still);
  }

  private static void extend(final Open o, final TextLine l, final long pts) {
    o.end = pts;
    o.readings++;
    if (l.confidence() > o.confidence) {
      o.confidence = l.confidence();
      o.text = l.text();
      o.box = l.box();
    }
  }

  /** Intersection over the smaller box's area. */
  static double overlap(final TextBox a, final TextBox b) {
    final long w = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
    final long h = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
    if (w <= 0 || h <= 0) {
      return 0;
    }
    return (double) (w * h) / Math.min((long) a.width() * a.height(), (long) b.width() * b.height());
  }

  /** At most a quarter of the longer key's characters (at least 1) edited away (Levenshtein). */
  static boolean similar(final String a, final String b) {
    final int limit = Math.max(1, Math.max(a.length(), b.length()) / 4);
    if (Math.abs(a.length() - b.length()) > limit) {
      return false;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      final int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()] <= limit;
  }

  /**
   * Every token not yet drained, open ones included (an open one as it stands now), by start time then
   * text. After {@link #drainClosed} or {@link #flush} the tokens they returned are no longer here.
   */
  public List<TextToken> tokens() {
    final List<TextToken> all = new ArrayList<>(closed);
    open.values().forEach(o -> all.add(o.close()));
    all.sort(ORDER);
    return all;
  }

  /**
   * The tokens closed since the last drain (text no longer on screen), by start time then text; they
   * are forgotten here, so a long stream's timeline stays small and each token is handed out once.
   * Open tokens stay open and are not returned.
   */
  public List<TextToken> drainClosed() {
    final List<TextToken> out = new ArrayList<>(closed);
    closed.clear();
    out.sort(ORDER);
    return out;
  }

  /**
   * Closes every open token (at the end of a stream) and returns, like {@link #drainClosed}, everything
   * not yet drained. Frames may still follow: text read again then opens new tokens.
   */
  public List<TextToken> flush() {
    open.values().forEach(o -> closed.add(o.close()));
    open.clear();
    return drainClosed();
  }
}
