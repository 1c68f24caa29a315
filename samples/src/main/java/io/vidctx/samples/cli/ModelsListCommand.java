package io.vidctx.samples.cli;

import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.models.CatalogEntry;
import io.vidctx.encoder.models.CatalogFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidctx models list}: the catalog, with download URLs, sizes and published checksums. */
@Command(
    name = "list",
    header = "List the known CLIP-family ONNX exports with URLs, sizes and published sha256s.",
    description = {
      "Each model shows its family, towers (image, text), licence, publisher page and files: name, size"
          + " as the publisher lists it, sha256 when the publisher lists one (otherwise 'pull' computes and"
          + " records it), and the download URL. Models already pulled into --dir are marked."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx models help <command>' for the options of another command."})
public final class ModelsListCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Print a JSON array (one object per model) instead of text.")
  boolean json;

  @Mixin ModelsSourceMixin source;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** One model as printed by {@code --json}. */
  public record Row(
      String name, String family, String description, String license, String page, String revision,
      String notes, boolean text, boolean pulled, String dir, List<CatalogFile> files) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    final Path models = source.modelsDir();
    final List<Row> rows = new ArrayList<>();
    for (final CatalogEntry e : source.catalog().entries()) {
      final Path folder = models.resolve(e.name());
      rows.add(new Row(e.name(), e.family(), e.description(), e.license(), e.page(), e.revision(), e.notes(),
          e.manifest().text() != null, Files.isRegularFile(folder.resolve(ModelManifest.FILE_NAME)),
          folder.toString(), e.files()));
    }
    if (json) {
      Json.print(term.out(), rows);
      return ExitCode.OK;
    }
    for (final Row r : rows) {
      term.println("%s  [%s, %s]%s", r.name(), r.family(), r.text() ? "image + text" : "image only",
          r.pulled() ? "  pulled: " + r.dir() : "");
      term.println("  %s", r.description());
      term.println("  licence: %s", r.license());
      term.println("  page: %s (revision %s)", r.page(), r.revision());
      for (final CatalogFile f : r.files()) {
        final String size = f.sizeBytes() != null ? Units.bytes(f.sizeBytes()) : f.size() != null ? "~" + f.size() : "?";
        term.println("    %-30s %10s  sha256 %s", f.name(), size,
            f.sha256() != null ? f.sha256() : "not published (computed and recorded at pull)");
        term.println("    %-30s %10s  %s", "", "", f.url());
      }
      if (!r.notes().isEmpty()) {
        term.println("  note: %s", r.notes());
      }
      term.println("");
    }
    term.println("%d models; 'vidctx models pull <name>' downloads one into %s", rows.size(), models);
    return ExitCode.OK;
  }
}
