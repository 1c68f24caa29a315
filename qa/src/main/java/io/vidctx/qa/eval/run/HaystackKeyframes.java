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
    final Map<Long, Integer> wanted = new HashMap<>();
    long last = 0;
    for (int i = 0; i < keyframes.size(); i++) {
      wanted.put(keyframes.get(i).ptsMicros(), i);
      last = Math.max(last, keyframes.get(i).ptsMicros());
    }
    final List<Keyframe> out = new ArrayList<>(keyframes);
    final ImageCodec jpeg = new ImageCodec(85);
    final HaystackSpec spec = needle == null ? hay.spec() : hay.spec().withNeedle(needle);
    try (HaystackSource s = hay.open(spec)) {
      for (Optional<VideoFrame> f = s.next(); f.isPresent() && f.get().ptsMicros() <= last; f = s.next()) {
        final Integer i = wanted.get(f.get().ptsMicros());
        if (i != null) {
          final VideoFrame v = f.get();
          out.set(i, keyframes.get(i).withJpeg(jpeg.encode(v.rgb(), v.width(), v.height(), ImageFormat.JPEG)));
        }
      }
    }
    return out;
  }
}
