package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Real footage as the compressor sees it: a shared clip decoded by FFmpeg at a fixed rate and encoded
 * by the built-in encoder into full {@link FrameTokens}. Test code only. Also replays a list of
 * clips as one long stream (looped and concatenated, timestamps and indices shifted), so hours of
 * input cost one encoding of each clip.
 */
public final class FootageTokens {
  private static final int BATCH = 32;

  private FootageTokens() {}

  /** Decodes {@code clip} at {@code fps} and encodes every frame (stream id = the clip's name). */
  public static List<FrameTokens> encode(final OnnxVisionEncoder encoder, final String clip, final double fps) {
    final List<FrameTokens> out = new ArrayList<>();
    try (VideoFileSource src = VideoFileSource.open(SharedData.video(clip).toString(),
        DecodeOptions.DEFAULTS.withFps(fps).withSize(BuiltinModel.SIZE, BuiltinModel.SIZE))) {
      final List<VideoFrame> batch = new ArrayList<>();
      for (Optional<VideoFrame> f = src.next(); ; f = src.next()) {
        f.ifPresent(batch::add);
        if (batch.size() == BATCH || (f.isEmpty() && !batch.isEmpty())) {
          out.addAll(encoder.encode(batch));
          batch.clear();
        }
        if (f.isEmpty()) {
          break;
        }
      }
    }
    return out;
  }

  /** Opens the built-in encoder on one thread (tests run beside other builds on 2 cores). */
  public static OnnxVisionEncoder builtinEncoder() {
    return OnnxVisionEncoder.open(BuiltinModel.ensure(SharedData.work("builtin-model")),
        RuntimeOptions.DEFAULTS.withIntraOpThreads(1));
  }

  /**
   * The clips one after another, again and again, until {@code seconds} of stream: stream id {@code
   * streamId}, indices counting from 0, times shifted so each clip starts one frame interval after
   * the previous one ended. The frames share the clips' arrays (read only).
   */
  public static Iterator<FrameTokens> replay(final List<List<FrameTokens>> clips, final String streamId, final double fps,
      final double seconds) {
    final long step = Math.round(1e6 / fps);
    final long endMicros = Math.round(seconds * 1e6);
    return new Iterator<>() {
      private int clip;
      private int frame;
      private long offset;
      private long index;
      private long lastPts = -step;

      @Override
      public boolean hasNext() {
        return nextPts() < endMicros;
      }

      @Override
      public FrameTokens next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        final FrameTokens f = clips.get(clip).get(frame);
        final long pts = nextPts();
        lastPts = pts;
        if (++frame == clips.get(clip).size()) {
          frame = 0;
          clip = (clip + 1) % clips.size();
          offset = lastPts + step;
        }
        return new FrameTokens(streamId, index++, pts, f.gridH(), f.gridW(), f.dim(), f.patches(), f.global());
      }

      private long nextPts() {
        final List<FrameTokens> c = clips.get(clip);
        return offset + c.get(frame).ptsMicros() - c.get(0).ptsMicros();
      }
    };
  }
}
