package io.vidctx.samples.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The model and compression options shared by {@code vidctx compress} and {@code vidctx ask}: {@link ModelMixin} plus the stream id. */
final class CompressionMixin extends ModelMixin {

  @Option(names = "--stream-id", paramLabel = "<id>", description = "Stream id (default: the file name without extension).")
  @Nullable String streamId;

  String streamId(final String video) {
    return streamId != null ? streamId : Units.stem(video);
  }
}
