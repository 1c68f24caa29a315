package io.vidctx.tokencompress.temporal;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real footage from {@code ../shared/videos}, decoded by FFmpeg at a fixed rate and encoded by the
 * built-in encoder: the global embeddings and times the temporal filter and the segmenter see. Test
 * code only (the main code of this module never touches JavaCV or ONNX Runtime).
 *
 * @param ptsMicros presentation time of each sampled frame
 * @param globals one L2-normalised {@code float[dim]} per frame
 */
public record EncodedFootage(String clip, double fps, long[] ptsMicros, float[][] globals) {
  /** Frames decoded and encoded per batch, so memory stays small on long clips. */
  private static final int CHUNK = 64;

  public int frames() {
    return ptsMicros.length;
  }

  public double seconds(final int i) {
    return ptsMicros[i] / 1e6;
  }

  /** Decodes {@code clip} at {@code fps} (FFmpeg scales to the encoder's input size) and encodes every frame. */
  public static EncodedFootage encode(final String clip, final double fps) {
    final List<Long> pts = new ArrayList<>();
    final List<float[]> globals = new ArrayList<>();
    try (OnnxVisionEncoder enc = OnnxVisionEncoder.open(BuiltinModel.ensure(SharedData.work("builtin-model")),
        RuntimeOptions.DEFAULTS.withIntraOpThreads(1));
        VideoFileSource src = VideoFileSource.open(SharedData.video(clip).toString(),
            DecodeOptions.DEFAULTS.withFps(fps).withSize(BuiltinModel.SIZE, BuiltinModel.SIZE))) {
      final List<VideoFrame> batch = new ArrayList<>();
      for (Optional<VideoFrame> f = src.next(); ; f = src.next()) {
        if (f.isPresent()) {
          batch.add(f.get());
        }
        if (batch.size() == CHUNK || (f.isEmpty() && !batch.isEmpty())) {
          for (final FrameTokens t : enc.encode(batch)) {
            pts.add(t.ptsMicros());
            globals.add(t.global());
          }
          batch.clear();
        }
        if (f.isEmpty()) {
          break;
        }
      }
    }
    final long[] p = new long[pts.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = pts.get(i);
    }
    return new EncodedFootage(clip, fps, p, globals.toArray(new float[0][]));
  }

  /** Every clip of VIDEOS.tsv, in table order. */
  public static List<String> allClips() {
    final List<String> names = new ArrayList<>();
    for (final SharedData.VideoRow r : SharedData.videos()) {
      names.add(r.file());
    }
    return names;
  }

  /** Hard cuts of {@code clip} in seconds, from VIDEOS.tsv (empty when none). */
  public static List<Double> hardCuts(final String clip) {
    for (final SharedData.VideoRow r : SharedData.videos()) {
      if (r.file().equals(clip)) {
        return r.hardCutSeconds();
      }
    }
    throw new IllegalArgumentException("no row for " + clip + " in VIDEOS.tsv");
  }
}
