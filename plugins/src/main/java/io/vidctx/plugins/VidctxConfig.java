package io.vidctx.plugins;

import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.ingest.kafka.FrameWireFormat;
import io.vidctx.plugins.compress.CompressStage;
import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.plugins.query.QueryStage;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the ready-made topology ({@link VidctxTopology}), Kafka style: each key has a type,
 * a default, a validator and a doc ({@code main} prints them as HTML). Stage settings derive from
 * them ({@link #compressStage()}, {@link #queryStage()}).
 */
public final class VidctxConfig extends AbstractConfig {
  public static final String FRAMES_TOPIC_CONFIG = "vidctx.topic.frames";
  public static final String TOKENS_TOPIC_CONFIG = "vidctx.topic.tokens";
  public static final String QUERIES_TOPIC_CONFIG = "vidctx.topic.queries";
  public static final String ANSWERS_TOPIC_CONFIG = "vidctx.topic.answers";
  public static final String UPDATES_TOPIC_CONFIG = "vidctx.topic.memory.updates";
  public static final String DEAD_LETTER_TOPIC_CONFIG = "vidctx.topic.dead.letters";
  public static final String ENCODE_IN_STREAMS_CONFIG = "vidctx.encode.in.streams";
  public static final String MEMORY_BUDGET_CONFIG = "vidctx.memory.budget.tokens";
  public static final String CHECKPOINT_FRAMES_CONFIG = "vidctx.memory.checkpoint.frames";
  public static final String LIVE_STREAMS_CONFIG = "vidctx.memory.live.streams";
  public static final String STORE_NAME_CONFIG = "vidctx.memory.store";
  public static final String QUERY_BUDGET_CONFIG = "vidctx.query.budget.tokens";
  public static final String KEYFRAMES_CONFIG = "vidctx.query.keyframes";
  public static final String MODEL_NAME_CONFIG = "vidctx.model.name";
  public static final String QUERY_IMAGE_DIR_CONFIG = "vidctx.query.image.dir";

  public static final String DEFAULT_TOKENS_TOPIC = "vidctx.tokens";
  public static final String DEFAULT_QUERIES_TOPIC = "vidctx.queries";
  public static final String DEFAULT_ANSWERS_TOPIC = "vidctx.answers";
  public static final String DEFAULT_UPDATES_TOPIC = "vidctx.memory-updates";
  public static final String DEFAULT_DEAD_LETTER_TOPIC = "vidctx.dlq";

  private static final ConfigDef CONFIG = new ConfigDef()
      .define(FRAMES_TOPIC_CONFIG, Type.STRING, FrameWireFormat.DEFAULT_TOPIC, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic of frame records in the ingest wire format (key: stream id).")
      .define(QUERIES_TOPIC_CONFIG, Type.STRING, DEFAULT_QUERIES_TOPIC, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic of queries (JSON, key: stream id); must have as many partitions as the frames"
              + " (or tokens) topic.")
      .define(ANSWERS_TOPIC_CONFIG, Type.STRING, DEFAULT_ANSWERS_TOPIC, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic the answers go to (JSON, key: stream id).")
      .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, DEFAULT_DEAD_LETTER_TOPIC, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic of refused records, with the reason, stage and origin in vidctx.dlq.* headers.")
      .define(ENCODE_IN_STREAMS_CONFIG, Type.BOOLEAN, true, Importance.HIGH,
          "Encode frames on the Streams threads (true), or read tokens that an EncoderWorker writes (false).")
      .define(MEMORY_BUDGET_CONFIG, Type.INT, 4096, Range.atLeast(1), Importance.HIGH,
          "Most tokens in one stream's memory.")
      .define(TOKENS_TOPIC_CONFIG, Type.STRING, DEFAULT_TOKENS_TOPIC, new ConfigDef.NonEmptyString(),
          Importance.MEDIUM, "Topic of frame tokens (float16) when the encoder runs as an EncoderWorker.")
      .define(UPDATES_TOPIC_CONFIG, Type.STRING, DEFAULT_UPDATES_TOPIC, Importance.MEDIUM,
          "Topic of per-frame memory updates (JSON); empty to emit none.")
      .define(QUERY_BUDGET_CONFIG, Type.INT, QueryStage.DEFAULT_BUDGET, Range.atLeast(1), Importance.MEDIUM,
          "Tokens per context when a query names no budget.")
      .define(MODEL_NAME_CONFIG, Type.STRING, BuiltinModel.NAME, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
          "Name of the encoder model, reported in answers.")
      .define(CHECKPOINT_FRAMES_CONFIG, Type.INT, CompressStage.DEFAULT_CHECKPOINT_FRAMES, Range.atLeast(1),
          Importance.LOW, "Frames between full checkpoints of a stream's memory in the store (frames in between are"
              + " stored as tokens and replayed on restore).")
      .define(LIVE_STREAMS_CONFIG, Type.INT, CompressStage.DEFAULT_LIVE_STREAMS, Range.atLeast(1), Importance.LOW,
          "Streams whose compressor each task keeps in memory between frames.")
      .define(STORE_NAME_CONFIG, Type.STRING, MemoryStore.DEFAULT_NAME, new ConfigDef.NonEmptyString(), Importance.LOW,
          "Name of the memory state store (and of its changelog topic).")
      .define(QUERY_IMAGE_DIR_CONFIG, Type.STRING, "", Importance.LOW,
          "The only folder whose files a query's imageUri may name; empty refuses imageUri (images travel inline).")
      .define(KEYFRAMES_CONFIG, Type.INT, ContextBuilder.DEFAULT_KEYFRAMES, Range.atLeast(1), Importance.LOW,
          "Keyframes picked per answer's context.");

  private final CompressorConfig compressor;

  /**
   * Defaults overridden by {@code props} (unknown keys are kept for the caller, e.g. Streams settings).
   *
   * @throws ConfigException when the memory budget cannot hold the compressor's tiers
   */
  public VidctxConfig(final Map<?, ?> props) {
    super(CONFIG, props, false);
    final int budget = getInt(MEMORY_BUDGET_CONFIG);
    final CompressorConfig c = CompressorConfig.DEFAULTS.withMemory(CompressorConfig.DEFAULTS.memory()
        .withTokenBudget(budget));
    try {
      new HierarchicalCompressor(c);
    } catch (final IllegalArgumentException e) {
      throw new ConfigException(MEMORY_BUDGET_CONFIG, budget, e.getMessage());
    }
    this.compressor = c;
  }

  /** The defaults. */
  public static VidctxConfig defaults() {
    return new VidctxConfig(Map.of());
  }

  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /** The compression settings: defaults with this memory budget. */
  public CompressorConfig compressor() {
    return compressor;
  }

  public CompressStage compressStage() {
    return new CompressStage(compressor(), getString(STORE_NAME_CONFIG), getInt(CHECKPOINT_FRAMES_CONFIG),
        getInt(LIVE_STREAMS_CONFIG));
  }

  public QueryStage queryStage() {
    final String dir = getString(QUERY_IMAGE_DIR_CONFIG);
    return new QueryStage(compressor(), getString(STORE_NAME_CONFIG), getString(MODEL_NAME_CONFIG),
        getInt(QUERY_BUDGET_CONFIG), getInt(KEYFRAMES_CONFIG), null).withImageDir(dir.isBlank() ? null : Path.of(dir));
  }

  public static void main(final String[] args) {
    System.out.println(CONFIG.toHtml(4, k -> "vidctx-" + k));
  }
}
