package io.vidctx.plugins.serde;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.tokencompress.Float16;
import java.util.Map;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One frame's tokens on the wire: a versioned, big-endian binary form with every embedding value
 * as an IEEE half float (196 patches x 64 dims = 25 KB; x 512 dims = 200 KB, well under Kafka's 1 MB
 * record default).
 *
 * <pre>
 * int    magic 0x56544B31 ("VTK1")
 * byte   version (1)
 * short  stream id length, then its UTF-8 bytes
 * long   frame index
 * long   presentation time, microseconds
 * int    grid height, int grid width, int dim
 * short  gridH*gridW*dim patch values (float16, row-major: row, column, dim)
 * short  dim global values (float16)
 * </pre>
 *
 * <p>Serializing refuses (SerializationException) a value beyond the half range or NaN, naming the
 * frame: silently writing infinity would poison every cosine downstream. Deserializing checks the
 * magic, version and that the sizes add up to the record length exactly.
 */
public final class FrameTokensSerde implements Serde<FrameTokens>, Serializer<FrameTokens>, Deserializer<FrameTokens> {
  /** The first four bytes of every tokens record. */
  public static final int MAGIC = 0x56544B31;
  public static final byte VERSION = 1;
  private static final int MAX_GRID = 4096;
  private static final int MAX_DIM = 1 << 16;

  /**
   * The frame with every value rounded to the nearest half float: what a round trip through the
   * wire gives. A frame already exact in float16 (one read from a tokens topic, or rounded by the
   * encode stage) is returned as it is, without a copy.
   */
  public static FrameTokens rounded(final FrameTokens f) {
    if (exact(f.patches()) && exact(f.global())) {
      return f;
    }
    final float[] p = f.patches().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] = Float16.round(p[i]);
    }
    final float[] g = f.global().clone();
    for (int i = 0; i < g.length; i++) {
      g[i] = Float16.round(g[i]);
    }
    return new FrameTokens(f.streamId(), f.index(), f.ptsMicros(), f.gridH(), f.gridW(), f.dim(), p, g);
  }

  private static boolean exact(final float[] values) {
    for (final float v : values) {
      // Compare bits: NaN never equals itself, and -0 must stay -0.
      if (Float.floatToRawIntBits(Float16.round(v)) != Float.floatToRawIntBits(v)) {
        return false;
      }
    }
    return true;
  }

  /** Bytes of a record for a frame of this shape. */
  public static int size(final String streamId, final int gridH, final int gridW, final int dim) {
    return 4 + 1 + 2 + streamId.getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 12 + 2 * (gridH * gridW * dim + dim);
  }

  @Override
  public byte[] serialize(final String topic, final FrameTokens f) {
    if (f == null) {
      return null;
    }
    final byte[] id = f.streamId().getBytes(StandardCharsets.UTF_8);
    if (id.length > Short.MAX_VALUE) {
      throw new SerializationException("stream id of " + id.length + " bytes is too long (at most 32767)");
    }
    final ByteBuffer b = ByteBuffer.allocate(size(f.streamId(), f.gridH(), f.gridW(), f.dim()));
    b.putInt(MAGIC).put(VERSION).putShort((short) id.length).put(id);
    b.putLong(f.index()).putLong(f.ptsMicros()).putInt(f.gridH()).putInt(f.gridW()).putInt(f.dim());
    putHalves(b, f.patches(), f, "patch");
    putHalves(b, f.global(), f, "global");
    return b.array();
  }

  private static void putHalves(final ByteBuffer b, final float[] values, final FrameTokens f, final String what) {
    for (int i = 0; i < values.length; i++) {
      final float v = values[i];
      if (!Float16.fits(v)) {
        throw new SerializationException("frame " + f.streamId() + " #" + f.index() + ": " + what + " value " + v
            + " at " + i + " cannot travel as float16 (finite, |v| <= " + Float16.MAX + "); check the encoder's"
            + " output scale");
      }
      b.putShort(Float16.fromFloat(v));
    }
  }

  @Override
  public FrameTokens deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      final ByteBuffer b = ByteBuffer.wrap(data);
      final int magic = b.getInt();
      if (magic != MAGIC) {
        throw new SerializationException("not a vidctx tokens record (" + data.length + " bytes, starts with 0x"
            + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
      }
      final byte version = b.get();
      if (version != VERSION) {
        throw new SerializationException("tokens record version " + version + " is not supported (this build reads "
            + VERSION + "); upgrade vidctx on this side");
      }
      final int idLength = b.getShort();
      if (idLength < 0 || idLength > b.remaining()) {
        throw new SerializationException("corrupt tokens record: stream id length " + idLength);
      }
      final byte[] id = new byte[idLength];
      b.get(id);
      final long index = b.getLong();
      final long pts = b.getLong();
      final int gridH = b.getInt();
      final int gridW = b.getInt();
      final int dim = b.getInt();
      if (gridH <= 0 || gridW <= 0 || gridH > MAX_GRID || gridW > MAX_GRID || dim <= 0 || dim > MAX_DIM) {
        throw new SerializationException("corrupt tokens record: grid " + gridH + "x" + gridW + ", dim " + dim);
      }
      final long values = (long) gridH * gridW * dim + dim;
      if (2 * values != b.remaining()) {
        throw new SerializationException("corrupt tokens record: a " + gridH + "x" + gridW + "x" + dim + " frame needs "
            + 2 * values + " bytes of values, the record has " + b.remaining());
      }
      final float[] patches = new float[gridH * gridW * dim];
      for (int i = 0; i < patches.length; i++) {
        patches[i] = Float16.toFloat(b.getShort());
      }
      final float[] global = new float[dim];
      for (int i = 0; i < dim; i++) {
        global[i] = Float16.toFloat(b.getShort());
      }
      return new FrameTokens(new String(id, StandardCharsets.UTF_8), index, pts, gridH, gridW, dim, patches, global);
    } catch (final BufferUnderflowException e) {
      throw new SerializationException("truncated tokens record (" + data.length + " bytes)", e);
    } catch (final IllegalArgumentException e) {
      throw new SerializationException("corrupt tokens record: " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<FrameTokens> serializer() {
    return this;
  }

  @Override
  public Deserializer<FrameTokens> deserializer() {
    return this;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    // Nothing to configure.
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
