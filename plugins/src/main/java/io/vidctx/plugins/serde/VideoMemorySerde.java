package io.vidctx.plugins.serde;

import io.vidctx.tokencompress.VideoMemory;
import java.util.Map;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A stream's memory snapshot on the wire: {@link VideoMemory#toBytes(boolean)} with embeddings as
 * half floats, behind a 4-byte magic ("VMM1"). Versioned by the memory's own format byte; timings
 * are not carried. A 4,096-token memory at 64 dims is about 0.8 MB (at 512 dims 4.5 MB: give the
 * snapshot topic a larger {@code max.message.bytes} or leave snapshots off).
 */
public final class VideoMemorySerde implements Serde<VideoMemory>, Serializer<VideoMemory>, Deserializer<VideoMemory> {
  public static final int MAGIC = 0x564D4D31;

  @Override
  public byte[] serialize(final String topic, final VideoMemory memory) {
    if (memory == null) {
      return null;
    }
    final byte[] body;
    try {
      body = memory.toBytes(true);
    } catch (final UncheckedIOException e) {
      throw new SerializationException("memory of stream " + memory.streamId() + ": " + e.getCause().getMessage(), e);
    }
    final byte[] out = new byte[4 + body.length];
    out[0] = (byte) (MAGIC >>> 24);
    out[1] = (byte) (MAGIC >>> 16);
    out[2] = (byte) (MAGIC >>> 8);
    out[3] = (byte) MAGIC;
    System.arraycopy(body, 0, out, 4, body.length);
    return out;
  }

  @Override
  public VideoMemory deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      final int magic = in.readInt();
      if (magic != MAGIC) {
        throw new SerializationException("not a vidctx memory record (starts with 0x" + Integer.toHexString(magic) + ")");
      }
      final VideoMemory m = VideoMemory.readFrom(in);
      if (in.read() != -1) {
        throw new SerializationException("corrupt memory record: bytes left over after the memory");
      }
      return m;
    } catch (final IOException e) {
      throw new SerializationException("corrupt memory record of " + data.length + " bytes: " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<VideoMemory> serializer() {
    return this;
  }

  @Override
  public Deserializer<VideoMemory> deserializer() {
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
