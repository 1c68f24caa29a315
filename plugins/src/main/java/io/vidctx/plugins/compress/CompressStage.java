package io.vidctx.plugins.compress;

import io.vidctx.tokencompress.CompressorConfig;
import java.util.Objects;

/**
 * Settings of the compress stage.
 *
 * @param compressor the compression pipeline's settings (memory budget among them); every instance
 *     of an application must use the same, and a store written with other settings is refused
 * @param storeName the memory store
 * @param checkpointFrames frames between full checkpoints of a stream's memory (see {@link MemoryStore})
 * @param liveStreams streams whose compressor a processor keeps in memory between frames; others are
 *     reloaded from the store (restore + replay) when their next frame comes
 */
public record CompressStage(CompressorConfig compressor, String storeName, int checkpointFrames, int liveStreams) {
  public static final String NAME = "compress";
  public static final int DEFAULT_CHECKPOINT_FRAMES = 64;
  public static final int DEFAULT_LIVE_STREAMS = 256;

  public CompressStage {
    Objects.requireNonNull(compressor, "compressor");
    Objects.requireNonNull(storeName, "storeName");
    if (checkpointFrames < 1) {
      throw new IllegalArgumentException("checkpointFrames must be >= 1, was " + checkpointFrames);
    }
    if (liveStreams < 1) {
      throw new IllegalArgumentException("liveStreams must be >= 1, was " + liveStreams);
    }
  }

  /** Default settings with {@code compressor}. */
  public static CompressStage of(final CompressorConfig compressor) {
    return new CompressStage(compressor, MemoryStore.DEFAULT_NAME, DEFAULT_CHECKPOINT_FRAMES, DEFAULT_LIVE_STREAMS);
  }

  public CompressStage withCheckpointFrames(final int n) {
    return new CompressStage(compressor, storeName, n, liveStreams);
  }

  public CompressStage withLiveStreams(final int n) {
    return new CompressStage(compressor, storeName, checkpointFrames, n);
  }

  public CompressStage withStoreName(final String name) {
    return new CompressStage(compressor, name, checkpointFrames, liveStreams);
  }
}
