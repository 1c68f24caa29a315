package io.vidctx.samples.cli;

import io.vidctx.encoder.Device;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.manifest.Manifests;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.models.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx models verify}: manifest, checksums and one test inference of a model folder. */
@Command(
    name = "verify",
    header = "Check a model folder: manifest, every file's sha256, and a test inference.",
    description = {
      "Loads <dir>/vidctx-model.json, checks that every file it names exists and that every file in its"
          + " sha256 map has that checksum, then opens the vision (and text) model and runs one inference: a"
          + " gray frame of the model's input size, and the text \"a photo of a cat\". Prints one line per"
          + " check; exits 3 when a check fails, 2 when the folder or manifest is missing or invalid."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx models help <command>' for the options of another command."})
public final class ModelsVerifyCommand implements Callable<Integer> {

  @Parameters(paramLabel = "<dir>", description = "Model folder (holds vidctx-model.json), e.g. ~/.cache/vidctx/models/clip-vit-b-32.")
  Path dir;

  @Option(names = "--no-inference", description = "Check the manifest and checksums only; do not load the models.")
  boolean noInference;

  @Option(names = "--device", paramLabel = "<device>", defaultValue = "cpu",
      description = "Where the test inference runs: cpu, cuda, cuda:N (add ! to forbid a CPU fallback).")
  String device;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  /** One line of the report. */
  record Check(String what, boolean ok, String detail) {}

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(false);
    final ModelManifest manifest = loadManifest(dir);
    final List<Check> checks = new ArrayList<>();
    checks.add(new Check("manifest " + ModelManifest.FILE_NAME, true, "model " + manifest.name()));
    checkFiles(manifest, checks);
    if (!noInference && checks.stream().allMatch(Check::ok)) {
      checks.addAll(ModelProbe.run(dir, manifest, RuntimeOptions.DEFAULTS.withDevice(parseDevice(device)).withBatchSize(1)));
    }
    int failed = 0;
    for (final Check c : checks) {
      term.println("%-4s %s%s", c.ok() ? "ok" : "FAIL", c.what(), c.detail().isEmpty() ? "" : ": " + c.detail());
      if (!c.ok()) {
        failed++;
      }
    }
    if (failed > 0) {
      final Check first = checks.stream().filter(c -> !c.ok()).findFirst().orElseThrow();
      throw CliException.unexpectedState(dir + ": " + failed + " of " + checks.size() + " checks failed; first: "
          + first.what() + ": " + first.detail());
    }
    term.println("verified %s (%s): %d checks passed", dir, manifest.name(), checks.size());
    return ExitCode.OK;
  }

  private void checkFiles(final ModelManifest m, final List<Check> checks) {
    final Set<String> named = new LinkedHashSet<>();
    if (m.vision() != null) {
      named.add(m.vision().file());
      if (m.vision().projection() != null) {
        named.add(m.vision().projection());
      }
    }
    if (m.text() != null) {
      named.add(m.text().file());
      named.add(m.text().vocab());
    }
    for (final String f : named) {
      final Path p = dir.resolve(f);
      if (!Files.isRegularFile(p)) {
        checks.add(new Check("file " + f, false, "missing (named by the manifest)"));
      } else if (!m.sha256().containsKey(f)) {
        checks.add(new Check("file " + f, true, "present, no sha256 listed in the manifest"));
      }
    }
    for (final Map.Entry<String, String> e : m.sha256().entrySet()) {
      final Path p = dir.resolve(e.getKey());
      if (!Files.isRegularFile(p)) {
        checks.add(new Check("sha256 " + e.getKey(), false, "file missing"));
        continue;
      }
      final String actual;
      try {
        actual = Checksums.sha256(p);
      } catch (final EncoderException ex) {
        checks.add(new Check("sha256 " + e.getKey(), false, ex.getMessage()));
        continue;
      }
      final long size = sizeOf(p);
      checks.add(actual.equalsIgnoreCase(e.getValue())
          ? new Check("sha256 " + e.getKey(), true, Units.bytes(size) + ", " + actual)
          : new Check("sha256 " + e.getKey(), false, "expected " + e.getValue() + ", got " + actual + " ("
              + Units.bytes(size) + "); the file is corrupt or was replaced: pull the model again"));
    }
  }

  static Device parseDevice(final String text) {
    try {
      return Device.parse(text);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    }
  }

  static ModelManifest loadManifest(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw CliException.invalidInput("model folder not found: " + dir);
    }
    final Path file = dir.resolve(ModelManifest.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw CliException.invalidInput(dir + " has no " + ModelManifest.FILE_NAME + ": not a model folder (pull one"
          + " with 'vidctx models pull NAME')");
    }
    try {
      return Manifests.load(dir);
    } catch (final EncoderException e) {
      throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
    }
  }

  private static long sizeOf(final Path p) {
    try {
      return Files.size(p);
    } catch (final IOException e) {
      return -1;
    }
  }
}
