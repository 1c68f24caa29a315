package io.vidctx.samples.cli;

import io.vidctx.encoder.models.ModelCache;
import io.vidctx.encoder.models.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where models live and which catalog names them: the options the {@code models} commands share. */
final class ModelsSourceMixin {

  @Option(names = "--dir", paramLabel = "<dir>",
      description = "Models folder (default: $XDG_CACHE_HOME/vidctx/models, else ~/.cache/vidctx/models).")
  @Nullable Path dir;

  @Option(names = "--catalog", paramLabel = "<file>",
      description = "An extra catalog JSON file (same format as the built-in one); its entries add to or replace the built-in ones.")
  @Nullable Path catalogFile;

  /** The models folder: {@code --dir}, else the cache default. */
  Path modelsDir() {
    return dir != null ? dir : ModelCache.defaultDir();
  }

  /** The built-in catalog, extended by {@code --catalog FILE} when given. */
  ModelCatalog catalog() {
    final ModelCatalog builtin = ModelCatalog.builtin();
    if (catalogFile == null) {
      return builtin;
    }
    if (!Files.isRegularFile(catalogFile)) {
      throw CliException.invalidInput("catalog file not found: " + catalogFile);
    }
    return builtin.with(catalogFile);
  }
}
