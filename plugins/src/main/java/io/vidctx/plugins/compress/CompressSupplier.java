package io.vidctx.plugins.compress;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.plugins.errors.StageException;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import io.vidctx.plugins.metrics.StageMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The compress stage: each stream's frame tokens (key = stream id) go into that stream's bounded
 * memory in the changelogged {@link MemoryStore}; a {@link MemoryUpdate} is forwarded per frame.
 * Usable in the Processor API ({@code addProcessor}) and the DSL ({@code stream.process(supplier)});
 * the supplier adds its store itself.
 *
 * <p>Deterministic, so replays reproduce the state: frames are rounded to float16 on the way in (as
 * the tokens topic carries them), and the compressor's result depends only on the frames.
 * Refused (dead letter, state unchanged): a key that differs from the tokens' stream id, a frame
 * whose time is not after the stream's last one (a replayed or reordered frame), tokens of another
 * width or grid than the stream's.
 */
public final class CompressSupplier implements ProcessorSupplier<String, FrameTokens, String, MemoryUpdate> {
  private final CompressStage stage;
  private final StoreBuilder<KeyValueStore<String, byte[]>> store;
  private final @Nullable Consumer<MemoryUpdate> listener;

  /**
   * @param listener told of every update on the Streams thread (keep it quick and thread-safe), e.g.
   *     to log memory per stream; may be null
   */
  public CompressSupplier(final CompressStage stage, final @Nullable Consumer<MemoryUpdate> listener) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.store = MemoryStores.builder(stage.storeName());
    this.listener = listener;
  }

  public CompressSupplier(final CompressStage stage) {
    this(stage, null);
  }

  /** The memory store this stage writes; give the same instance to a topology's other users of it. */
  public StoreBuilder<KeyValueStore<String, byte[]>> storeBuilder() {
    return store;
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public Processor<String, FrameTokens, String, MemoryUpdate> get() {
    return new CompressProcessor();
  }

  private final class CompressProcessor extends ContextualProcessor<String, FrameTokens, String, MemoryUpdate> {
    private @Nullable MemoryStore memory;
    private @Nullable Sensor frames;
    // Live compressors of recently seen streams, least recently used first. Rebuilt from the store
    // after init (a revived or migrated task starts empty), so they can never run ahead of it.
    private final Map<String, Live> live = new LinkedHashMap<>(16, 0.75f, true);

    @Override
    public void init(final ProcessorContext<String, MemoryUpdate> context) {
      super.init(context);
      final KeyValueStore<String, byte[]> kv = context.getStateStore(stage.storeName());
      memory = new MemoryStore(kv, stage.compressor(), stage.checkpointFrames());
      frames = StageMetrics.sensor(context, CompressStage.NAME);
      live.clear();
    }

    @Override
    public void process(final Record<String, FrameTokens> record) {
      final MemoryStore m = Objects.requireNonNull(memory);
      final FrameTokens in = record.value();
      final String key = record.key();
      if (in == null) {
        throw new StageException(CompressStage.NAME, "a tokens record without a value (tombstone?)");
      }
      if (key == null || !key.equals(in.streamId())) {
        throw new StageException(CompressStage.NAME, "record key '" + key + "' is not the tokens' stream id '"
            + in.streamId() + "': the key must be the stream id (it keeps a stream in one partition)");
      }
      final String id;
      try {
        id = MemoryStore.requireValidId(key);
      } catch (final IllegalArgumentException e) {
        throw new StageException(CompressStage.NAME, e.getMessage(), e);
      }
      final FrameTokens frame = FrameTokensSerde.rounded(in);
      final MemoryStore.Header before = Objects.requireNonNullElse(m.header(id), MemoryStore.Header.EMPTY);
      Live l = live.get(id);
      if (l == null || l.framesApplied != before.framesApplied()) {
        l = new Live(m.load(id, before), before.framesApplied());
        live.put(id, l);
        while (live.size() > stage.liveStreams()) {
          live.remove(live.keySet().iterator().next());
        }
      }
      try {
        l.compressor.accept(frame);
      } catch (final IllegalArgumentException e) {
        // The store is untouched; drop the live copy in case the refusal left it half-changed.
        live.remove(id);
        throw new StageException(CompressStage.NAME, "stream " + id + " frame #" + frame.index() + ": "
            + e.getMessage(), e);
      }
      final MemoryStore.Header after = m.append(id, before, frame, l.compressor);
      l.framesApplied = after.framesApplied();
      final MemoryUpdate update = new MemoryUpdate(id, frame.index(), frame.ptsMicros(), after.framesApplied(),
          after.memoryTokens(), after.checkpointAt() == after.framesApplied());
      Objects.requireNonNull(frames).record();
      if (listener != null) {
        listener.accept(update);
      }
      context().forward(record.withValue(update));
    }

    @Override
    public void close() {
      live.clear();
    }
  }

  private static final class Live {
    final HierarchicalCompressor compressor;
    long framesApplied;

    Live(final HierarchicalCompressor compressor, final long framesApplied) {
      this.compressor = compressor;
      this.framesApplied = framesApplied;
    }
  }
}
