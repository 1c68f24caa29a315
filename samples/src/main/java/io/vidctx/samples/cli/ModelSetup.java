package io.vidctx.samples.cli;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.manifest.Manifests;
import io.vidctx.encoder.manifest.ModelManifest;
import io.vidctx.encoder.manifest.ResizeMode;
import io.vidctx.encoder.manifest.VisionSpec;
import io.vidctx.encoder.models.ModelCache;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoInfo;
import io.vidctx.ingest.video.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The {@code --model builtin|DIR} option of the commands that encode: where the model is and what it takes. */
final class ModelSetup {
  private ModelSetup() {}

  /** A model ready to open: its folder, manifest and vision side. */
  record Loaded(Path dir, ModelManifest manifest, VisionSpec vision) {}

  /** {@link #resolve}, {@link #manifest} and {@link #vision} in one: what every encoding command needs. */
  static Loaded load(final String model, final @Nullable Path modelsDir, final Terminal term) {
    final Path dir = resolve(model, modelsDir, term);
    final ModelManifest manifest = manifest(dir);
    return new Loaded(dir, manifest, vision(manifest, dir));
  }

  /** Refuses an {@code --out} that is a folder, or exists without {@code --overwrite}. */
  static void requireNewFile(final Path out, final boolean overwrite) {
    if (Files.exists(out) && !overwrite) {
      throw CliException.invalidInput(out + " exists: pass --overwrite or pick another --out");
    }
    if (Files.isDirectory(out)) {
      throw CliException.invalidInput("--out must be a file, " + out + " is a folder");
    }
  }

  /** The model folder: the built-in model (generated on first use in the cache) or the folder given. */
  static Path resolve(final String model, final @Nullable Path modelsDir, final Terminal term) {
    if (model.equals(BuiltinModel.NAME)) {
      final Path cache = modelsDir != null ? modelsDir : ModelCache.defaultDir();
      final Path dir = BuiltinModel.ensure(cache);
      term.detail("built-in model in %s", dir);
      return dir;
    }
    final Path dir = Path.of(model);
    if (!Files.isDirectory(dir) && !Files.isRegularFile(dir)) {
      throw CliException.invalidInput("--model " + model + ": neither 'builtin' nor an existing model folder"
          + " ('vidctx models pull NAME' makes one; 'vidctx models list' shows the names)");
    }
    return dir;
  }

  static ModelManifest manifest(final Path modelDir) {
    try {
      return Manifests.load(modelDir);
    } catch (final EncoderException e) {
      throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
    }
  }

  /** The manifest's vision side, or a clear error for a text-only model. */
  static VisionSpec vision(final ModelManifest manifest, final Path modelDir) {
    final VisionSpec vision = manifest.vision();
    if (vision == null) {
      throw CliException.invalidInput("model '" + manifest.name() + "' in " + modelDir
          + " has no vision side: it cannot encode frames");
    }
    return vision;
  }

  /** The longest side frames are decoded at when OCR reads them. */
  static final int OCR_MAX_SIDE = 1280;

  /**
   * Decode options that let FFmpeg do the heavy scaling: the frame comes out at the size the model's
   * resize mode will crop or pad from, so the encoder's own resampling is close to a copy. Options
   * that already name a size are kept.
   */
  static DecodeOptions fitToModel(final String video, final DecodeOptions o, final VisionSpec v) {
    final VideoInfo info = sourceSize(video, o);
    if (info == null) {
      return o;
    }
    if (v.resize() == ResizeMode.STRETCH) {
      return o.withSize(v.width(), v.height());
    }
    final double sx = (double) v.width() / info.width();
    final double sy = (double) v.height() / info.height();
    final double s = v.resize() == ResizeMode.LETTERBOX ? Math.min(sx, sy) : Math.max(sx, sy);
    // Even sizes suit FFmpeg's chroma-subsampled scalers; never below the model's input for a crop.
    int w = even(info.width() * s);
    int h = even(info.height() * s);
    if (v.resize() == ResizeMode.SHORTER_SIDE_CENTER_CROP) {
      w = Math.max(w, v.width());
      h = Math.max(h, v.height());
    }
    return o.withSize(w, h);
  }

  /**
   * Decode settings for a pass that also reads on-screen text: the source size, scaled down to at most
   * 1280 pixels on the longer side (OCR detection works at up to 960; small text needs the pixels), never
   * up. The encoder resizes to its input itself.
   */
  static DecodeOptions fitForOcr(final String video, final DecodeOptions o) {
    final VideoInfo info = sourceSize(video, o);
    final int longer = info == null ? 0 : Math.max(info.width(), info.height());
    if (info == null || longer <= OCR_MAX_SIDE) {
      return o;
    }
    final double s = (double) OCR_MAX_SIDE / longer;
    return o.withSize(even(info.width() * s), even(info.height() * s));
  }

  /** The video's size when the options leave it open and a probe tells it, else null (keep the options). */
  private static @Nullable VideoInfo sourceSize(final String video, final DecodeOptions o) {
    return o.width() > 0 || o.height() > 0 ? null : probedSize(video);
  }

  /**
   * The even width that keeps {@code video}'s aspect at {@code height}, or 0 (let FFmpeg keep the
   * aspect) when a probe cannot tell the size.
   */
  static int evenWidthAt(final String video, final int height) {
    final VideoInfo info = probedSize(video);
    return info == null ? 0 : even((double) info.width() * height / info.height());
  }

  private static @Nullable VideoInfo probedSize(final String video) {
    final VideoInfo info;
    try {
      info = VideoProbe.probe(video);
    } catch (final IngestException e) {
      // Decoding.open reports the same problem with the right exit code; keep the source size here.
      return null;
    }
    return info.width() <= 0 || info.height() <= 0 ? null : info;
  }

  private static int even(final double x) {
    return Math.max(2, (int) Math.round(x / 2) * 2);
  }
}
