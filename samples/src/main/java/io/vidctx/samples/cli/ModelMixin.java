package io.vidctx.samples.cli;

import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The model and memory-budget options of every command that encodes and compresses: {@code vidctx
 * compress}, {@code ask} (through {@link CompressionMixin}, which adds {@code --stream-id}) and
 * {@code stream}.
 */
class ModelMixin {

  @Option(names = "--model", paramLabel = "<builtin|dir>", defaultValue = "builtin",
      description = "'builtin', or a model folder holding vidctx-model.json (a CLIP export adds text queries).")
  String model;

  @Option(names = "--models-dir", paramLabel = "<dir>",
      description = "Where the built-in model is generated (default: $XDG_CACHE_HOME/vidctx/models, else ~/.cache/vidctx/models).")
  @Nullable Path modelsDir;

  @Option(names = "--memory-budget", paramLabel = "<tokens>", defaultValue = "" + 4096,
      description = "Most tokens the compressed memory holds, however long the video.")
  int memoryBudget;

  CompressorConfig config() {
    try {
      final CompressorConfig c = CompressorConfig.DEFAULTS.withMemory(
          CompressorConfig.DEFAULTS.memory().withTokenBudget(memoryBudget));
      // The compressor checks that the budget holds its tiers; fail here, before any decoding.
      new HierarchicalCompressor(c);
      return c;
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput("--memory-budget " + memoryBudget + ": " + e.getMessage());
    }
  }
}
