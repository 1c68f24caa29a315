package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.models.CatalogEntry;
import io.vidctx.encoder.models.DownloadListener;
import io.vidctx.encoder.models.DownloadedFile;
import io.vidctx.encoder.models.ModelDownloader;
import io.vidctx.encoder.models.PullResult;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx models pull}: downloads a catalog model, resumable and sha256-checked. */
@Command(
    name = "pull",
    header = "Download a model from the catalog: resumable, sha256-checked, atomic.",
    description = {
      "Downloads every file of <name> into <dir>/<name>/ over HTTPS: into <file>.part first, resumed with"
          + " an HTTP range request when an earlier attempt broke off, checked against the publisher's sha256"
          + " (a mismatch deletes the download and fails), then renamed into place. Files whose publisher"
          + " lists no checksum get theirs computed and recorded in checksums.json (said so in the output);"
          + " later pulls and 'models verify' hold them to it. Last, vidctx-model.json is written with every"
          + " file's sha256. Files already complete are not fetched again."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx models help <command>' for the options of another command."})
public final class ModelsPullCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<name>", description = "Model name from 'vidctx models list'.")
  String name;

  @Option(names = "--url-base", paramLabel = "<url>",
      description = "A mirror: fetch <url>/<name>/<file> instead of the publisher's URLs (checksums still apply).")
  @Nullable String urlBase;

  @Option(names = "--connect-timeout", paramLabel = "<s>", defaultValue = "20",
      description = "Seconds to wait for a connection.")
  int connectTimeout;

  @Option(names = "--timeout", paramLabel = "<s>", defaultValue = "60",
      description = "Seconds to wait for a server's response headers.")
  int timeout;

  @Mixin ModelsSourceMixin source;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(false);
    if (connectTimeout < 1 || timeout < 1) {
      throw CliException.invalidInput("--connect-timeout and --timeout must be >= 1 s");
    }
    final CatalogEntry entry;
    try {
      entry = source.catalog().require(name);
    } catch (final EncoderException e) {
      throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
    }
    final URI mirror = urlBase == null ? null : parseUrl(urlBase);
    final Path models = source.modelsDir();
    final ModelDownloader downloader = new ModelDownloader(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(timeout));
    term.note("pulling %s (%d files) into %s%s", entry.name(), entry.files().size(), models.resolve(entry.name()),
        mirror == null ? "" : " from mirror " + mirror);
    final long t0 = System.nanoTime();
    final PullResult r;
    try (BarListener bars = new BarListener(term)) {
      r = downloader.pull(entry, models, mirror, bars);
    }
    for (final DownloadedFile f : r.files()) {
      term.println("  %-30s %10s  sha256 %s  %s", f.name(), Units.bytes(f.bytes()), f.sha256(),
          (f.published() ? "verified against the published checksum" : "NOT PUBLISHED by the publisher: computed and"
              + " recorded in " + r.checksums().getFileName())
          + (f.reused() ? " (already present)" : f.resumedFrom() > 0 ? " (resumed at " + Units.bytes(f.resumedFrom()) + ")" : ""));
    }
    term.println("pulled %s into %s: %d files, %s in %s; manifest %s", r.model(), r.dir(), r.files().size(),
        Units.bytes(r.totalBytes()), Units.seconds(System.nanoTime() - t0), r.manifest().getFileName());
    if (!r.unpublished().isEmpty()) {
      term.note("note: the publisher lists no sha256 for %d file(s); the computed ones are recorded and later pulls"
          + " and 'vidctx models verify' check against them (trust on first use)", r.unpublished().size());
    }
    return ExitCode.OK;
  }

  private static URI parseUrl(final String s) {
    try {
      final URI u = URI.create(s);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw CliException.invalidInput("--url-base must be an http(s) URL, was " + s);
      }
      return u;
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput("--url-base is not a URL: " + s);
    }
  }

  /** One progress bar per file on a terminal; one note per file otherwise. */
  private static final class BarListener implements DownloadListener, AutoCloseable {
    private final Terminal term;
    private @Nullable Progress bar;

    BarListener(final Terminal term) {
      this.term = term;
    }

    @Override
    public void started(final String file, final URI url, final long offset, final long total) {
      close();
      term.detail("GET %s", url);
      if (offset > 0) {
        term.note("%s: resuming at %s", file, Units.bytes(offset));
      }
      bar = term.progress(file, total > 0 ? Math.max(1, total / 1000) : -1, "kB");
      bar.stepTo(offset / 1000);
    }

    @Override
    public void progress(final String file, final long done, final long total) {
      if (bar != null) {
        bar.stepTo(done / 1000);
      }
    }

    @Override
    public void reused(final String file, final long bytes) {
      term.note("%s: already present, checksum matches (%s)", file, Units.bytes(bytes));
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
