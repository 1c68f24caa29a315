package io.vidctx.encoder.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.TextSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/*
 * Reads a model folder's vidctx-model.json for the text side only: where it is, its text section and
 * the paths that section names. Kept minimal on purpose: the general loader and validator
 * (io.vidctx.encoder.manifest.Manifests) covers both sides; this helper only needs Jackson and the
 * manifest records, so the text encoder does not wait on it.
 */
final class TextManifests {
  private TextManifests() {}

  /** A parsed manifest and the folder its relative paths are resolved against. */
  record Located(Path file, Path folder, ModelManifest manifest) {}

  /** {@code dirOrFile} is a model folder (holding vidctx-model.json) or the manifest file itself. */
  static Located load(final Path dirOrFile) {
    final Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(ModelManifest.FILE_NAME) : dirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new EncoderException("model manifest not found: " + file.toAbsolutePath()
          + " (a model folder needs a " + ModelManifest.FILE_NAME + ")");
    }
    final ModelManifest manifest;
    try {
      manifest = new ObjectMapper().readValue(file.toFile(), ModelManifest.class);
    } catch (final JsonProcessingException e) {
      throw new EncoderException("model manifest " + file.toAbsolutePath() + " is not valid: " + e.getOriginalMessage(), e);
    } catch (final IOException e) {
      throw new EncoderException("cannot read model manifest " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    return new Located(file.toAbsolutePath(), file.toAbsolutePath().getParent(), manifest);
  }

  /** The text section, checked for values no model could satisfy. */
  static TextSpec text(final ModelManifest manifest, final Path folder) {
    final TextSpec text = manifest.text();
    if (text == null) {
      throw new EncoderException("model '" + manifest.name() + "' in " + folder.toAbsolutePath()
          + " has no \"text\" section: it has no text tower, so it cannot embed text queries");
    }
    if (text.contextLength() < 2) {
      throw new EncoderException("model '" + manifest.name() + "': text.context_length must be at least 2 (SOT and EOT), was "
          + text.contextLength());
    }
    if (text.attentionMask() != null && text.attentionMask().equals(text.inputIds())) {
      throw new EncoderException("model '" + manifest.name() + "': text.attention_mask and text.input_ids are both '"
          + text.inputIds() + "'");
    }
    return text;
  }

  /** {@code path} as written in the manifest: absolute, or relative to the manifest's folder. */
  static Path resolve(final Path folder, final String path) {
    final Path p = Path.of(path);
    return p.isAbsolute() ? p : folder.resolve(p).normalize();
  }
}
