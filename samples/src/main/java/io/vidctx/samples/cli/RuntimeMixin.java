package io.vidctx.samples.cli;

import io.vidctx.encoder.Device;
import io.vidctx.encoder.RuntimeOptions;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs a model: device, batch size and threads. {@link
 * #toOptions} checks them and turns bad values into exit code 2.
 */
final class RuntimeMixin {

  @Option(names = "--device", paramLabel = "<device>", defaultValue = "cpu",
      description = "cpu, cuda or cuda:N; a trailing ! forbids falling back to the CPU.")
  String device;

  @Option(names = "--batch", paramLabel = "<n>", defaultValue = "8", description = "Frames per inference call.")
  int batch;

  @Option(names = "--threads", paramLabel = "<n>", defaultValue = "0",
      description = "Threads one inference may use; 0 lets ONNX Runtime choose.")
  int threads;

  RuntimeOptions toOptions() {
    if (batch < 1) {
      throw CliException.invalidInput("--batch must be >= 1, was " + batch);
    }
    if (threads < 0) {
      throw CliException.invalidInput("--threads must be >= 0 (0 = automatic), was " + threads);
    }
    try {
      return new RuntimeOptions(Device.parse(device), threads, batch);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput(e.getMessage());
    }
  }
}
