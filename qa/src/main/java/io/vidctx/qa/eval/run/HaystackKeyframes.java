package io.vidctx.qa.eval.run;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.qa.Keyframe;
import io.vidctx.qa.eval.niah.HaystackFile;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.HaystackSpec;
import io.vidctx.qa.haystack.Needle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keyframe pictures of a haystack item (there is no video file to seek in): the haystack is played
 * with its needle up to the last keyframe, and the frames at the keyframes' times are kept as JPEG.
 * Costs a decode of the haystack up to there; only answerers that look at pictures need it.
 */
final class HaystackKeyframes {
  private HaystackKeyframes() {}

  static List<Keyframe> grab(final HaystackFile hay, final @Nullable Needle needle, final List<Keyframe> keyframes) {
    if (keyframes.isEmpty()) {
      return keyframes;
    }
    // A keyframe's time can fall between frames (the middle of a merged token's span): take the frame
    // nearest to it on the haystack's grid.
    final double fps = hay.spec().fps();
    final Map<Long, List<Integer>> wanted = new HashMap<>();
    long last = 0;
    for (int i = 0; i < keyframes.size(); i++) {
      final long k = Math.max(0, Math.round(keyframes.get(i).ptsMicros() * fps / 1e6));
      wanted.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
      last = Math.max(last, k);
    }
    final List<Keyframe> out = new ArrayList<>(keyframes);
    final ImageCodec jpeg = new ImageCodec(85);
    final HaystackSpec spec = needle == null ? hay.spec() : hay.spec().withNeedle(needle);
    try (HaystackSource s = hay.open(spec)) {
      VideoFrame previous = null;
      for (Optional<VideoFrame> f = s.next(); f.isPresent() && f.get().index() <= last; f = s.next()) {
        previous = f.get();
        attach(wanted.remove(previous.index()), previous, keyframes, out, jpeg);
      }
      // Times past the last frame: the last frame.
      if (previous != null) {
        for (final List<Integer> rest : wanted.values()) {
          attach(rest, previous, keyframes, out, jpeg);
        }
      }
    }
    return out;
  }

  private static void attach(final @Nullable List<Integer> which, final VideoFrame v, final List<Keyframe> keyframes,
      final List<Keyframe> out, final ImageCodec jpeg) {
    if (which == null) {
      return;
    }
    final byte[] bytes = jpeg.encode(v.rgb(), v.width(), v.height(), ImageFormat.JPEG);
    for (final int i : which) {
      out.set(i, keyframes.get(i).withJpeg(bytes));
    }
  }
}
