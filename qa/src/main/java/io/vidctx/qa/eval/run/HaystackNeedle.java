package io.vidctx.qa.eval.run;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.ImageAlterations;
import io.vidctx.qa.haystack.Needle;
import io.vidctx.qa.haystack.NeedleInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * Splicing instead of re-encoding: a haystack's frames are encoded once (the token cache), and each
 * needle item inserts its needle's tokens at the exact place HaystackSource would show the needle,
 * re-timing every frame to the stream grid (frame k at round(k / fps)). The encoder sees each frame's
 * pixels exactly as in a full replay, so the tokens equal those of encoding the needled stream (up
 * to ONNX Runtime's batch-size rounding in pooled outputs, see plugins/README).
 */

/** Where an item's needle goes in its haystack, and the item's frame tokens with the needle spliced in. */
final class HaystackNeedle {
  private final HaystackFile hay;
  private final Needle needle;
  private final NeedleInterval interval;
  private @Nullable DecodedImage fitted;

  private HaystackNeedle(final HaystackFile hay, final Needle needle, final NeedleInterval interval) {
    this.hay = hay;
    this.needle = needle;
    this.interval = interval;
  }

  /**
   * Places the item's needle (no decoding: the haystack file has the counts) and checks the place
   * against the manifest's ground truth.
   *
   * @throws IllegalArgumentException the haystack file changed since the manifest was made
   * @throws io.vidctx.ingest.IngestException the needle picture cannot be read
   */
  static HaystackNeedle locate(final HaystackFile hay, final EvalItem item, final String image) {
    final NeedleTruth n = Objects.requireNonNull(item.needle(), "needle");
    final DecodedImage img = new ImageCodec().read(java.nio.file.Path.of(image));
    final Needle needle = new Needle(img, n.depth(), n.durationMicros(), n.label());
    final NeedleInterval at = hay.needleInterval(needle);
    if (at.startMicros() != n.startMicros() || at.endMicros() != n.endMicros()) {
      throw new IllegalArgumentException("item " + item.id() + ": the manifest puts needle '" + n.label() + "' at "
          + n.startMicros() + ".." + n.endMicros() + " us, but " + item.video() + " places it at " + at.startMicros()
          + ".." + at.endMicros() + " us: the haystack file changed; make the grid again");
    }
    return new HaystackNeedle(hay, needle, at);
  }

  Needle needle() {
    return needle;
  }

  NeedleInterval interval() {
    return interval;
  }

  /** The stream's frame tokens: the haystack's with the needle's frames spliced in, all re-timed. */
  List<FrameTokens> splice(final List<FrameTokens> haystack, final FrameTokens needleTokens, final String streamId) {
    return restampAll(spliceValues(haystack, needleTokens), hay.spec().fps(), streamId);
  }

  /** The needle picture fitted to the haystack's frame size: what each needle frame shows (made once). */
  DecodedImage fitted() {
    if (fitted == null) {
      fitted = ImageAlterations.letterbox(needle.image(), hay.spec().width(), hay.spec().height());
    }
    return fitted;
  }

  /** Per-frame values of the needled stream: the haystack's with the needle's spliced in, like {@link #splice}. */
  <T> List<T> spliceValues(final List<T> haystack, final T needleValue) {
    final long nf = interval.frames();
    final List<T> out = new ArrayList<>((int) (haystack.size() + nf));
    for (long k = 0; k < haystack.size() + nf; k++) {
      out.add(interval.containsIndex(k) ? needleValue
          : haystack.get((int) (k < interval.firstIndex() ? k : k - nf)));
    }
    return out;
  }

  /** The needle picture fitted to the haystack's frame size, encoded once. */
  FrameTokens encodeNeedle(final VisionEncoder encoder, final String streamId) {
    final DecodedImage fitted = fitted();
    return encoder.encode(List.of(new VideoFrame(streamId, interval.firstIndex(), interval.startMicros(),
        fitted.width(), fitted.height(), fitted.rgb()))).get(0);
  }

  /** The frames as stream frames 0, 1, ... at {@code fps} (arrays shared). */
  static List<FrameTokens> restampAll(final List<FrameTokens> frames, final double fps, final String streamId) {
    final List<FrameTokens> out = new ArrayList<>(frames.size());
    for (int k = 0; k < frames.size(); k++) {
      out.add(restamp(frames.get(k), k, fps, streamId));
    }
    return out;
  }

  /** Frame {@code t}'s tokens as stream frame {@code k} (arrays shared: tokens are never changed in place). */
  static FrameTokens restamp(final FrameTokens t, final long k, final double fps, final String streamId) {
    return new FrameTokens(streamId, k, HaystackSource.framePts(k, fps), t.gridH(), t.gridW(), t.dim(), t.patches(),
        t.global());
  }
}
