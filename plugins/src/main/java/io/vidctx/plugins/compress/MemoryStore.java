package io.vidctx.plugins.compress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/*
 * Why this layout and not "stream id -> compressor state": the state of a 4,096-token memory is
 * 1.3-1.8 MB at 64 dims and ~9 MB at 512, so writing it per frame would push megabytes per frame
 * into the changelog and past Kafka's 1 MB record default. Instead each frame appends its tokens (25
 * KB fp16 at 64 dims) and every `checkpointFrames` frames the full state is written in chunks of at
 * most 256 KB. A reader restores the checkpoint and replays the pending frames; the compressor is
 * deterministic, so that gives exactly the state of the writer. Changelog traffic per frame drops
 * to about (tokens + state / checkpointFrames), and every record stays well under 1 MB.
 */

/**
 * One partition's stream memories in a key-value store (the compress stage writes, the query stage
 * and interactive queries read). Keys, for stream id {@code S} (which may not contain U+0000):
 *
 * <pre>
 * S              header: frames applied, checkpoint position, chunk count, memory tokens, last frame
 * S \0 c \0 i    checkpoint chunk i (HierarchicalCompressor.writeState, split at 256 KB)
 * S \0 f \0 n    frame n applied after the checkpoint (tokens, FrameTokensSerde)
 * </pre>
 *
 * <p>Invariant: restoring the checkpoint and replaying frames {@code checkpointAt .. framesApplied-1}
 * gives the compressor that applied all {@code framesApplied} frames, byte for byte. The frames
 * stored must be the ones the compressor saw, so the compress stage feeds it frames already rounded
 * to float16 ({@link FrameTokensSerde#rounded}); they round-trip exactly.
 */
public final class MemoryStore {
  /** The store name the ready-made topology uses. */
  public static final String DEFAULT_NAME = "vidctx-memory";
  static final int CHUNK_BYTES = 256 * 1024;
  private static final int HEADER_MAGIC = 0x564D4831;
  private static final byte HEADER_VERSION = 1;
  private static final FrameTokensSerde TOKENS = new FrameTokensSerde();

  /**
   * Where a stream stands in the store.
   *
   * @param framesApplied frames the memory holds (counting those the temporal filter dropped)
   * @param checkpointAt frames covered by the checkpoint; later ones are stored one by one
   * @param chunks checkpoint chunks
   * @param memoryTokens tokens in the memory at the last frame (unit in progress not included)
   * @param lastIndex the last frame's index, -1 before any
   * @param lastPts the last frame's presentation time
   */
  public record Header(long framesApplied, long checkpointAt, int chunks, int memoryTokens, long lastIndex,
      long lastPts) {
    /** The header of a stream no frame has reached yet. */
    public static final Header EMPTY = new Header(0, 0, 0, 0, -1, 0);

    byte[] toBytes() {
      return ByteBuffer.allocate(4 + 1 + 8 + 8 + 4 + 4 + 8 + 8).putInt(HEADER_MAGIC).put(HEADER_VERSION)
          .putLong(framesApplied).putLong(checkpointAt).putInt(chunks).putInt(memoryTokens).putLong(lastIndex)
          .putLong(lastPts).array();
    }

    static Header of(final String streamId, final byte[] b) {
      try {
        final ByteBuffer in = ByteBuffer.wrap(b);
        if (in.getInt() != HEADER_MAGIC || in.get() != HEADER_VERSION) {
          throw new IllegalStateException("memory store entry of stream '" + streamId + "' is not a version "
              + HEADER_VERSION + " header: was the store written by another vidctx version?");
        }
        return new Header(in.getLong(), in.getLong(), in.getInt(), in.getInt(), in.getLong(), in.getLong());
      } catch (final BufferUnderflowException e) {
        throw new IllegalStateException("memory store header of stream '" + streamId + "' is truncated", e);
      }
    }
  }

  private final KeyValueStore<String, byte[]> store;
  private final CompressorConfig config;
  private final int checkpointFrames;
  private final int chunkBytes;

  /**
   * @param checkpointFrames frames between full checkpoints, {@code >= 1} (1 = the full state on every frame)
   */
  public MemoryStore(final KeyValueStore<String, byte[]> store, final CompressorConfig config,
      final int checkpointFrames) {
    this(store, config, checkpointFrames, CHUNK_BYTES);
  }

  MemoryStore(final KeyValueStore<String, byte[]> store, final CompressorConfig config, final int checkpointFrames,
      final int chunkBytes) {
    this.chunkBytes = chunkBytes;
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    if (checkpointFrames < 1) {
      throw new IllegalArgumentException("checkpointFrames must be >= 1, was " + checkpointFrames);
    }
    this.checkpointFrames = checkpointFrames;
  }

  /** The stream's header, or null when no frame of it reached this store. */
  public @Nullable Header header(final String streamId) {
    return header(store, streamId);
  }

  /**
   * The stream's header in a store opened for reading (e.g. through interactive queries), or null when
   * no frame of it reached the store: how many frames its memory holds, without restoring it.
   */
  public static @Nullable Header header(final ReadOnlyKeyValueStore<String, byte[]> store, final String streamId) {
    final byte[] b = store.get(requireValidId(streamId));
    return b == null ? null : Header.of(streamId, b);
  }

  /** A compressor holding exactly the frames the header counts (a new one for {@link Header#EMPTY}). */
  public HierarchicalCompressor load(final String streamId, final Header h) {
    return load(store, config, streamId, h);
  }

  /** The stream's memory now (unit in progress included), or empty when the stream is unknown here. */
  public Optional<VideoMemory> snapshot(final String streamId) {
    return snapshot(store, config, streamId);
  }

  /**
   * The memory of {@code streamId} in a store opened for reading, e.g. through interactive queries
   * ({@code KafkaStreams.store(...)}) on the instance that hosts the stream's partition.
   */
  public static Optional<VideoMemory> snapshot(final ReadOnlyKeyValueStore<String, byte[]> store,
      final CompressorConfig config, final String streamId) {
    // A reader on another thread than the stream's (interactive queries) may see the writer move on
    // between the header and the pieces it names (a checkpoint deletes the replayed frames). Then
    // the header has changed: read again. An unchanged header with a piece missing is corruption.
    Header h = header(store, streamId);
    for (int attempt = 0; h != null; attempt++) {
      try {
        return Optional.of(load(store, config, streamId, h).snapshot());
      } catch (final MissingPieceException e) {
        final Header now = header(store, streamId);
        if (now == null || now.equals(h) || attempt >= 10) {
          throw e;
        }
        h = now;
      }
    }
    return Optional.empty();
  }

  /** A piece the header names is not in the store. */
  private static final class MissingPieceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MissingPieceException(final String message) {
      super(message);
    }
  }

  private static HierarchicalCompressor load(final ReadOnlyKeyValueStore<String, byte[]> store,
      final CompressorConfig config, final String streamId, final Header h) {
    HierarchicalCompressor c;
    if (h.chunks() == 0) {
      c = new HierarchicalCompressor(config);
    } else {
      final List<ByteArrayInputStream> parts = new ArrayList<>(h.chunks());
      for (int i = 0; i < h.chunks(); i++) {
        parts.add(new ByteArrayInputStream(require(store, chunkKey(streamId, i), streamId, "checkpoint chunk " + i)));
      }
      try (DataInputStream in = new DataInputStream(new SequenceInputStream(Collections.enumeration(parts)))) {
        c = HierarchicalCompressor.restore(config, in);
      } catch (final IOException e) {
        throw new IllegalStateException("memory checkpoint of stream '" + streamId + "' is corrupt: " + e.getMessage(),
            e);
      }
    }
    for (long n = h.checkpointAt(); n < h.framesApplied(); n++) {
      c.accept(TOKENS.deserialize(null, require(store, frameKey(streamId, n), streamId, "frame " + n)));
    }
    return c;
  }

  /**
   * Records that {@code compressor}, loaded for {@code before}, has just applied {@code frame}.
   *
   * @return the new header (already written)
   */
  public Header append(final String streamId, final Header before, final FrameTokens frame,
      final HierarchicalCompressor compressor) {
    final long applied = before.framesApplied() + 1;
    int chunks = before.chunks();
    long checkpointAt = before.checkpointAt();
    if (applied - before.checkpointAt() >= checkpointFrames) {
      chunks = writeCheckpoint(streamId, compressor, before.chunks());
      for (long n = before.checkpointAt(); n < before.framesApplied(); n++) {
        store.delete(frameKey(streamId, n));
      }
      checkpointAt = applied;
    } else {
      store.put(frameKey(streamId, before.framesApplied()), TOKENS.serialize(null, frame));
    }
    final Header h = new Header(applied, checkpointAt, chunks, compressor.memoryTokens(), frame.index(),
        frame.ptsMicros());
    store.put(streamId, h.toBytes());
    return h;
  }

  private int writeCheckpoint(final String streamId, final HierarchicalCompressor c, final int oldChunks) {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16))) {
      c.writeState(out);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    final byte[] all = bytes.toByteArray();
    final int chunks = Math.max(1, (all.length + chunkBytes - 1) / chunkBytes);
    for (int i = 0; i < chunks; i++) {
      final int from = i * chunkBytes;
      final byte[] part = new byte[Math.min(chunkBytes, all.length - from)];
      System.arraycopy(all, from, part, 0, part.length);
      store.put(chunkKey(streamId, i), part);
    }
    for (int i = chunks; i < oldChunks; i++) {
      store.delete(chunkKey(streamId, i));
    }
    return chunks;
  }

  /** Whether a key of the store is a stream's header (not a chunk or a frame). */
  public static boolean isHeaderKey(final String key) {
    return key.indexOf('\u0000') < 0;
  }

  static String chunkKey(final String streamId, final int i) {
    return streamId + "\u0000c\u0000" + i;
  }

  static String frameKey(final String streamId, final long n) {
    return streamId + "\u0000f\u0000" + n;
  }

  /**
   * @throws IllegalArgumentException for an empty stream id or one containing U+0000 (the store's separator)
   */
  static String requireValidId(final String streamId) {
    if (streamId.isEmpty() || streamId.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException("stream id '" + streamId.replace('\u0000', '?')
          + "' is empty or contains U+0000; use printable text");
    }
    return streamId;
  }

  private static byte[] require(final ReadOnlyKeyValueStore<String, byte[]> store, final String key,
      final String streamId, final String what) {
    final byte[] b = store.get(key);
    if (b == null) {
      throw new MissingPieceException("memory store of stream '" + streamId + "' is inconsistent: " + what
          + " is missing");
    }
    return b;
  }
}
