package io.vidctx.plugins.query;

import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.tokencompress.CompressorConfig;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the query stage.
 *
 * @param compressor the compress stage's settings (the store is read with them)
 * @param storeName the memory store the compress stage writes
 * @param model name of the encoder model the memories come from (reported in answers)
 * @param defaultBudget tokens per context when a query names none
 * @param keyframes keyframes picked per context
 * @param imageDir the only folder whose files a query's {@code imageUri} may name; null refuses
 *     every {@code imageUri} (whoever writes to the queries topic must not read arbitrary files)
 */
public record QueryStage(CompressorConfig compressor, String storeName, String model, int defaultBudget,
    int keyframes, @Nullable Path imageDir) {
  public static final String NAME = "query";
  public static final int DEFAULT_BUDGET = 4096;

  public QueryStage {
    Objects.requireNonNull(compressor, "compressor");
    Objects.requireNonNull(storeName, "storeName");
    Objects.requireNonNull(model, "model");
    if (defaultBudget < 1) {
      throw new IllegalArgumentException("defaultBudget must be >= 1, was " + defaultBudget);
    }
    if (keyframes < 1) {
      throw new IllegalArgumentException("keyframes must be >= 1, was " + keyframes);
    }
  }

  public static QueryStage of(final CompressorConfig compressor, final String model) {
    return new QueryStage(compressor, MemoryStore.DEFAULT_NAME, model, DEFAULT_BUDGET, ContextBuilder.DEFAULT_KEYFRAMES,
        null);
  }

  public QueryStage withStoreName(final String name) {
    return new QueryStage(compressor, name, model, defaultBudget, keyframes, imageDir);
  }

  public QueryStage withDefaultBudget(final int tokens) {
    return new QueryStage(compressor, storeName, model, tokens, keyframes, imageDir);
  }

  public QueryStage withImageDir(final @Nullable Path dir) {
    return new QueryStage(compressor, storeName, model, defaultBudget, keyframes,
        dir == null ? null : dir.toAbsolutePath().normalize());
  }
}
