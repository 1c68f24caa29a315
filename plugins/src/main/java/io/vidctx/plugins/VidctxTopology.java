package io.vidctx.plugins;

import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.plugins.compress.CompressSupplier;
import io.vidctx.plugins.compress.MemoryUpdate;
import io.vidctx.plugins.encode.EncodeStage;
import io.vidctx.plugins.encode.EncodeSupplier;
import io.vidctx.plugins.query.QueryAnswer;
import io.vidctx.plugins.query.QueryRequest;
import io.vidctx.plugins.query.QuerySupplier;
import io.vidctx.plugins.serde.FrameTokensSerde;
import io.vidctx.plugins.serde.JsonSerde;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;

/**
 * The ready-made topology: frames → encode → compress (memory store) and queries → query → answers,
 * in one sub-topology, so a stream's frames and queries meet in one task.
 *
 * <pre>
 *  vidctx.frames ──▶ encode ──▶ compress ──▶ vidctx.memory-updates
 *  (or vidctx.tokens, written by an EncoderWorker) │
 *                                      [vidctx-memory store, changelogged]
 *                                                  │
 *  vidctx.queries ─────────────────────────▶ query ──▶ vidctx.answers
 *  refused records of any stage ──▶ vidctx.dlq (DeadLetterHandler)
 * </pre>
 *
 * <p>Run it with {@link VidctxStreams#properties} (exactly-once, the dead-letter handler, poll
 * sizing). Topic names and stage settings come from {@link VidctxConfig}.
 */
public final class VidctxTopology {
  public static final String FRAMES_SOURCE = "vidctx-frames";
  public static final String TOKENS_SOURCE = "vidctx-tokens";
  public static final String QUERIES_SOURCE = "vidctx-queries";
  public static final String ENCODE = "vidctx-encode";
  public static final String COMPRESS = "vidctx-compress";
  public static final String QUERY = "vidctx-query";
  public static final String UPDATES_SINK = "vidctx-memory-updates";
  public static final String ANSWERS_SINK = "vidctx-answers";

  private VidctxTopology() {}

  /** The topology for {@code config}, without a memory listener. */
  public static Topology build(final VidctxConfig config, final VisionEncoder vision, final @Nullable TextEncoder text) {
    return build(config, vision, text, null);
  }

  /**
   * The topology for {@code config}.
   *
   * @param vision the encoder for frames (when encoding in Streams) and for image queries; the caller
   *     owns it and closes it after the Streams instance
   * @param text a CLIP text tower matching {@code vision}, or null
   * @param listener told of every memory update (see {@link CompressSupplier}), or null
   */
  public static Topology build(final VidctxConfig config, final VisionEncoder vision, final @Nullable TextEncoder text,
      final @Nullable Consumer<MemoryUpdate> listener) {
    final Topology t = new Topology();
    final CompressSupplier compress = new CompressSupplier(config.compressStage(), listener);
    final String feed;
    if (config.getBoolean(VidctxConfig.ENCODE_IN_STREAMS_CONFIG)) {
      t.addSource(FRAMES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
          config.getString(VidctxConfig.FRAMES_TOPIC_CONFIG));
      t.addProcessor(ENCODE, new EncodeSupplier(EncodeStage.DEFAULTS, vision), FRAMES_SOURCE);
      feed = ENCODE;
    } else {
      t.addSource(TOKENS_SOURCE, Serdes.String().deserializer(), new FrameTokensSerde(),
          config.getString(VidctxConfig.TOKENS_TOPIC_CONFIG));
      feed = TOKENS_SOURCE;
    }
    t.addProcessor(COMPRESS, compress, feed);
    final String updates = config.getString(VidctxConfig.UPDATES_TOPIC_CONFIG);
    if (!updates.isBlank()) {
      t.addSink(UPDATES_SINK, updates, Serdes.String().serializer(), new JsonSerde<>(MemoryUpdate.class), COMPRESS);
    }
    t.addSource(QUERIES_SOURCE, Serdes.String().deserializer(), new JsonSerde<>(QueryRequest.class),
        config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG));
    t.addProcessor(QUERY, new QuerySupplier(config.queryStage(), vision, text), QUERIES_SOURCE);
    t.connectProcessorAndStateStores(QUERY, config.compressStage().storeName());
    t.addSink(ANSWERS_SINK, config.getString(VidctxConfig.ANSWERS_TOPIC_CONFIG), Serdes.String().serializer(),
        new JsonSerde<>(QueryAnswer.class), QUERY);
    return t;
  }
}
