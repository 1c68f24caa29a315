package io.vidctx.plugins;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.HaystackSpec;
import io.vidctx.qa.haystack.ImageAlterations;
import io.vidctx.qa.haystack.Needle;
import io.vidctx.qa.haystack.NeedleInterval;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Real footage with a needle photo, as frame records, and the built-in encoder; shared by the plugin tests. */
public final class PluginFixtures {
  public static final String NEEDLE_PHOTO = "eagle.jpg";
  public static final String QUESTION = "When does this picture appear?";

  private PluginFixtures() {}

  /** The built-in encoder (generated once per test JVM into the build folder). */
  public static OnnxVisionEncoder builtinEncoder() {
    final Path dir = BuiltinModel.ensure(SharedData.work("plugins-models"));
    return OnnxVisionEncoder.open(dir, RuntimeOptions.DEFAULTS);
  }

  /** A clip's frames with the needle photo inserted for 2 s at {@code depth}. */
  public record Footage(String streamId, List<EncodedFrame> frames, NeedleInterval needle) {}

  /** {@code clip} at {@code fps} with the needle photo at {@code depth}, as JPEG frame records of stream {@code id}. */
  public static Footage footage(final String clip, final double fps, final double depth, final String id) {
    final Needle needle = Needle.read(SharedData.image(NEEDLE_PHOTO), depth, 2_000_000L, NEEDLE_PHOTO);
    final HaystackSpec spec = HaystackSpec.of(List.of(SharedData.video(clip)), fps).withNeedle(needle)
        .withStreamId(id);
    final ImageCodec codec = new ImageCodec();
    final List<EncodedFrame> frames = new ArrayList<>();
    try (HaystackSource source = HaystackSource.open(spec)) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        frames.add(FrameWireFormat.encode(f.get(), ImageFormat.JPEG, codec));
      }
      return new Footage(id, List.copyOf(frames), source.needleIntervals().get(0));
    }
  }

  /** The query picture: the needle photo at 60 % size, recompressed as JPEG quality 40, base64. */
  public static String alteredNeedleBase64() {
    final DecodedImage photo = new ImageCodec().read(SharedData.image(NEEDLE_PHOTO));
    final DecodedImage altered = ImageAlterations.jpegRecompress(ImageAlterations.resize(photo, 0.6), 40);
    final byte[] jpeg = new ImageCodec(90).encode(altered.rgb(), altered.width(), altered.height(), ImageFormat.JPEG);
    return Base64.getEncoder().encodeToString(jpeg);
  }

  /** What the topology computes, in process: decode each record, encode, round to float16, compress. */
  public static VideoMemory inProcessMemory(final List<EncodedFrame> frames, final VisionEncoder encoder,
      final CompressorConfig config) {
    final ImageCodec codec = new ImageCodec();
    final HierarchicalCompressor c = new HierarchicalCompressor(config);
    for (final EncodedFrame f : frames) {
      final FrameTokens t = encoder.encode(List.of(FrameWireFormat.decode(f, codec))).get(0);
      c.accept(FrameTokensSerde.rounded(t));
    }
    return c.snapshot();
  }
}
