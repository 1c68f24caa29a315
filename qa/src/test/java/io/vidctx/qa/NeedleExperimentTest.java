package io.vidctx.qa;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.FootageTokens;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeedleExperimentTest {
  @Test
  void experiment() {
    try (OnnxVisionEncoder enc = FootageTokens.builtinEncoder()) {
      final List<List<FrameTokens>> clips = new ArrayList<>();
      for (final var row : SharedData.videos()) {
        clips.add(FootageTokens.encode(enc, row.file(), 1.0));
      }
      for (final String photo : List.of("cat.png", "eagle.jpg", "fruits.jpg", "horses.jpg", "galaxies.jpg", "mandrill.jpg")) {
        final DecodedImage src = Photos.read(photo);
        final double sc = Math.min(320.0 / src.width(), 180.0 / src.height());
        final int w = (int) Math.round(src.width() * sc);
        final int h = (int) Math.round(src.height() * sc);
        final DecodedImage img = Photos.resize(src, w, h);
        final byte[] frame = new byte[320 * 180 * 3];
        for (int y = 0; y < h; y++) {
          System.arraycopy(img.rgb(), y * w * 3, frame, ((y + (180 - h) / 2) * 320 + (320 - w) / 2) * 3, w * 3);
        }
        final FrameTokens needle = enc.encode(List.of(new VideoFrame("n", 0, 0, 320, 180, frame))).get(0);
        final DecodedImage alt0 = Photos.read(photo);
        final DecodedImage small = Photos.resize(alt0, alt0.width() * 3 / 5, alt0.height() * 3 / 5);
        final ImageCodec codec = new ImageCodec(40);
        final DecodedImage altered = codec.decode(codec.encode(small.rgb(), small.width(), small.height(),
            ImageFormat.JPEG), ImageFormat.JPEG);
        for (final double depth : new double[] {0.1, 0.9}) {
          final List<FrameTokens> all = new ArrayList<>();
          for (final List<FrameTokens> c : clips) {
            all.addAll(c);
          }
          final int at = (int) (depth * all.size());
          final List<FrameTokens> stream = new ArrayList<>();
          long idx = 0;
          long needleStart = 0;
          for (int i = 0; i <= all.size(); i++) {
            if (i == at) {
              needleStart = idx * 1_000_000L;
              for (int k = 0; k < 2; k++) {
                stream.add(new FrameTokens("h", idx, idx * 1_000_000L, needle.gridH(), needle.gridW(), needle.dim(),
                    needle.patches(), needle.global()));
                idx++;
              }
            }
            if (i < all.size()) {
              final FrameTokens f = all.get(i);
              stream.add(new FrameTokens("h", idx, idx * 1_000_000L, f.gridH(), f.gridW(), f.dim(), f.patches(),
                  f.global()));
              idx++;
            }
          }
          final VideoMemory mem = HierarchicalCompressor.compressAll(stream, CompressorConfig.DEFAULTS);
          final QueryEncoder qe = new QueryEncoder(enc, null, CompressorConfig.DEFAULTS);
          final EncodedQuery q = qe.encode("when does this appear?", altered);
          final VideoContext ctx = new ContextBuilder(new QueryAwareSelector(), 8).build(mem, "builtin",
              Question.open("when does this appear?"), q, 4096);
          final Answer a = new EmbeddingChoiceAnswerer(null).answer(ctx.question(), ctx);
          System.out.printf("%s depth %.1f: frames %d, needle %d-%d s, memory %d tokens %d segs, selected %d"
              + " (ratio %.3f H %.3f), reduction %.4f, answer %s conf %.3f ev %s%n", photo, depth, stream.size(),
              needleStart / 1_000_000, needleStart / 1_000_000 + 1, mem.tokenCount(), mem.segments().size(),
              ctx.selection().size(), ctx.selection().stats().ratio(), ctx.selection().stats().entropy(),
              ctx.selection().reduction(), a.text(), a.confidence(), a.evidence().size());
        }
      }
    }
  }
}
