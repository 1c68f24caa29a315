package io.vidctx.tokencompress;

import io.vidctx.tokencompress.memory.MemoryConfig;
import io.vidctx.tokencompress.merge.BipartiteMerger;
import io.vidctx.tokencompress.merge.SpatialReducer;
import io.vidctx.tokencompress.segment.SegmenterConfig;
import io.vidctx.tokencompress.temporal.TemporalFilterConfig;
import io.vidctx.tokencompress.text.TextMemoryConfig;
import java.util.Objects;

/**
 * Settings of the five stages, each switchable through its own config: stages 1 to 4 run in the
 * {@link StreamingCompressor}, stage 5 (the bounded memory) in the {@link HierarchicalCompressor},
 * which also keeps the stream's text tokens in a bounded text memory ({@code text}).
 * Defaults: calibrated for the built-in encoder (see the module README).
 */
public record CompressorConfig(TemporalFilterConfig filter, SegmenterConfig segmenter, SpatialReducer.Config spatial,
    BipartiteMerger.Config merge, MemoryConfig memory, TextMemoryConfig text) {

  public static final CompressorConfig DEFAULTS = new CompressorConfig(TemporalFilterConfig.DEFAULTS,
      SegmenterConfig.DEFAULTS, SpatialReducer.Config.DEFAULTS, BipartiteMerger.Config.DEFAULTS, MemoryConfig.DEFAULTS,
      TextMemoryConfig.DEFAULTS);

  public CompressorConfig {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(segmenter, "segmenter");
    Objects.requireNonNull(spatial, "spatial");
    Objects.requireNonNull(merge, "merge");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(text, "text");
  }

  public CompressorConfig withFilter(final TemporalFilterConfig f) {
    return new CompressorConfig(f, segmenter, spatial, merge, memory, text);
  }

  public CompressorConfig withSegmenter(final SegmenterConfig s) {
    return new CompressorConfig(filter, s, spatial, merge, memory, text);
  }

  public CompressorConfig withSpatial(final SpatialReducer.Config s) {
    return new CompressorConfig(filter, segmenter, s, merge, memory, text);
  }

  public CompressorConfig withMerge(final BipartiteMerger.Config m) {
    return new CompressorConfig(filter, segmenter, spatial, m, memory, text);
  }

  public CompressorConfig withMemory(final MemoryConfig m) {
    return new CompressorConfig(filter, segmenter, spatial, merge, m, text);
  }

  public CompressorConfig withText(final TextMemoryConfig t) {
    return new CompressorConfig(filter, segmenter, spatial, merge, memory, t);
  }
}
