package io.vidctx.tokencompress;

import io.vidctx.tokencompress.merge.BipartiteMerger;
import io.vidctx.tokencompress.merge.SpatialReducer;
import io.vidctx.tokencompress.segment.SegmenterConfig;
import io.vidctx.tokencompress.temporal.TemporalFilterConfig;
import java.util.Objects;

/**
 * Settings of the {@link StreamingCompressor}'s stages 1 to 4, each switchable through its own
 * config. Defaults: calibrated for the built-in encoder (see the module README).
 */
public record CompressorConfig(
    TemporalFilterConfig filter, SegmenterConfig segmenter, SpatialReducer.Config spatial, BipartiteMerger.Config merge) {

  public static final CompressorConfig DEFAULTS = new CompressorConfig(
      TemporalFilterConfig.DEFAULTS, SegmenterConfig.DEFAULTS, SpatialReducer.Config.DEFAULTS, BipartiteMerger.Config.DEFAULTS);

  public CompressorConfig {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(segmenter, "segmenter");
    Objects.requireNonNull(spatial, "spatial");
    Objects.requireNonNull(merge, "merge");
  }

  public CompressorConfig withFilter(final TemporalFilterConfig f) {
    return new CompressorConfig(f, segmenter, spatial, merge);
  }

  public CompressorConfig withSegmenter(final SegmenterConfig s) {
    return new CompressorConfig(filter, s, spatial, merge);
  }

  public CompressorConfig withSpatial(final SpatialReducer.Config s) {
    return new CompressorConfig(filter, segmenter, s, merge);
  }

  public CompressorConfig withMerge(final BipartiteMerger.Config m) {
    return new CompressorConfig(filter, segmenter, spatial, m);
  }
}
