package io.vidctx.tokencompress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.segment.SceneSegmenterState;
import io.vidctx.tokencompress.temporal.TemporalFilterState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Binary form of the compressor's per-stage state records (big-endian; arrays as a length then the
 * values). Reads check lengths before allocating, so a corrupt stream fails with an IOException
 * rather than an out-of-memory error.
 */
final class StateCodec {
  /** No array in a compressor's state comes near this (a 24x24x4096 frame has 2.4 M floats). */
  private static final int MAX_ARRAY = 1 << 26;

  private StateCodec() {}

  static void writeFloats(final DataOutput out, final float[] a) throws IOException {
    out.writeInt(a.length);
    for (final float v : a) {
      out.writeFloat(v);
    }
  }

  static float[] readFloats(final DataInput in) throws IOException {
    final float[] a = new float[length(in)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readFloat();
    }
    return a;
  }

  static void writeDoubles(final DataOutput out, final double[] a) throws IOException {
    out.writeInt(a.length);
    for (final double v : a) {
      out.writeDouble(v);
    }
  }

  static double[] readDoubles(final DataInput in) throws IOException {
    final double[] a = new double[length(in)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readDouble();
    }
    return a;
  }

  static void writeLongs(final DataOutput out, final long[] a) throws IOException {
    out.writeInt(a.length);
    for (final long v : a) {
      out.writeLong(v);
    }
  }

  static long[] readLongs(final DataInput in) throws IOException {
    final long[] a = new long[length(in)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.readLong();
    }
    return a;
  }

  static void writeFrame(final DataOutput out, final FrameTokens f) throws IOException {
    out.writeUTF(f.streamId());
    out.writeLong(f.index());
    out.writeLong(f.ptsMicros());
    out.writeInt(f.gridH());
    out.writeInt(f.gridW());
    out.writeInt(f.dim());
    writeFloats(out, f.patches());
    writeFloats(out, f.global());
  }

  static FrameTokens readFrame(final DataInput in) throws IOException {
    try {
      final FrameTokens f = new FrameTokens(in.readUTF(), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
          in.readInt(), readFloats(in), readFloats(in));
      // Pending frames skip the check when they become tokens (accept checked them): check them here.
      TokenBlock.requireFinite(f);
      return f;
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt frame in compressor state: " + e.getMessage(), e);
    }
  }

  static void writeFilter(final DataOutput out, final TemporalFilterState s) throws IOException {
    out.writeInt(s.dim());
    out.writeLong(s.lastPtsMicros());
    out.writeLong(s.accepted());
    out.writeLong(s.framesKept());
    writeFloats(out, s.lastKept());
    out.writeLong(s.lastKeptSequence());
    out.writeLong(s.lastKeptPtsMicros());
    writeLongs(out, s.pendingPts());
    writeFloats(out, s.pendingGlobals());
  }

  static TemporalFilterState readFilter(final DataInput in) throws IOException {
    try {
      return new TemporalFilterState(in.readInt(), in.readLong(), in.readLong(), in.readLong(), readFloats(in),
          in.readLong(), in.readLong(), readLongs(in), readFloats(in));
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt temporal filter state: " + e.getMessage(), e);
    }
  }

  static void writeSegmenter(final DataOutput out, final SceneSegmenterState s) throws IOException {
    out.writeInt(s.dim());
    out.writeLong(s.lastPtsMicros());
    out.writeLong(s.accepted());
    out.writeLong(s.segments());
    out.writeLong(s.segmentStartPtsMicros());
    writeDoubles(out, s.centroidSum());
    out.writeLong(s.centroidCount());
    writeFloats(out, s.previous());
  }

  static SceneSegmenterState readSegmenter(final DataInput in) throws IOException {
    try {
      return new SceneSegmenterState(in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
          readDoubles(in), in.readLong(), readFloats(in));
    } catch (final IllegalArgumentException e) {
      throw new IOException("corrupt segmenter state: " + e.getMessage(), e);
    }
  }

  static int length(final DataInput in) throws IOException {
    final int n = in.readInt();
    if (n < 0 || n > MAX_ARRAY) {
      throw new IOException("corrupt compressor state: array of " + n + " values");
    }
    return n;
  }
}
