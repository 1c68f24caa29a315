package io.vidctx.samples.cli;

import io.vidctx.encoder.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/** The test inference of {@code models verify}: one gray frame through the vision model, one text through the text model. */
final class ModelProbe {
  private ModelProbe() {}

  static List<ModelsVerifyCommand.Check> run(final Path dir, final ModelManifest manifest) {
    return List.of(new ModelsVerifyCommand.Check("inference", true,
        "skipped: the ONNX vision and text encoders are not in this build yet"));
  }
}
