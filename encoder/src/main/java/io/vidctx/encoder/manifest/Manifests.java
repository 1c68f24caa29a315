package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vidctx.encoder.EncoderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads and checks {@code vidctx-model.json}. Every failure is an {@link EncoderException} whose
 * message names the manifest file, the JSON path of the bad value and what would fix it, because the
 * person reading it is usually someone who just wrote a manifest by hand for a downloaded export.
 *
 * <p>Checks: the file exists and is well-formed JSON; no unknown keys (a typo such as {@code
 * "pooled_ouput"} must not silently mean "absent"); required keys present; sizes positive; mean and
 * std hold three values, std none zero; the grid is given exactly when there is a patch output;
 * every referenced file exists (named relative to the model folder). What the ONNX graph itself
 * looks like (names, shapes, dtypes) is checked when the model is opened, by the encoder.
 */
public final class Manifests {
  // One mapper for the process: ObjectMapper is thread-safe once configured, and this one is never
  // reconfigured after construction. FAIL_ON_NULL_FOR_PRIMITIVES stays off: Jackson would then also
  // refuse *absent* optional primitives (cls_token, grid_h); an explicit null reads as 0 / false, and
  // the range checks below catch a 0 where it matters.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .build();

  private Manifests() {}

  /**
   * A checked manifest and where it was read from, so that relative file names can be resolved.
   *
   * @param file the {@code vidctx-model.json} read
   * @param manifest its content
   */
  public record Located(Path file, ModelManifest manifest) {
    public Located {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(manifest, "manifest");
    }

    /** The model folder (the manifest's parent). */
    public Path folder() {
      final Path parent = file.toAbsolutePath().getParent();
      return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /** A file name from the manifest, resolved against the model folder (absolute names stay as they are). */
    public Path resolve(final String name) {
      return folder().resolve(name).normalize();
    }

    /** The vision side; an error naming the manifest when it has none. */
    public VisionSpec vision() {
      final VisionSpec v = manifest.vision();
      if (v == null) {
        throw new EncoderException("model manifest " + file + " has no \"vision\" section, so it cannot encode frames");
      }
      return v;
    }
  }

  /** {@link #locate(Path)}'s manifest content. */
  public static ModelManifest load(final Path dirOrFile) {
    return locate(dirOrFile).manifest();
  }

  /**
   * Reads and checks the manifest of a model folder, or the manifest file itself.
   *
   * @param dirOrFile a model folder holding {@value ModelManifest#FILE_NAME}, or a manifest file
   *     (any name)
   * @throws EncoderException when the manifest is missing, malformed or inconsistent, or names a
   *     file that does not exist
   */
  public static Located locate(final Path dirOrFile) {
    final Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(ModelManifest.FILE_NAME) : dirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new EncoderException(Files.isDirectory(dirOrFile)
          ? "no model manifest in " + dirOrFile.toAbsolutePath() + ": expected " + ModelManifest.FILE_NAME
              + " there (its keys: see ModelManifest and VisionSpec)"
          : "model manifest not found: " + dirOrFile.toAbsolutePath());
    }
    final ModelManifest m = parse(file);
    final Located located = new Located(file, m);
    validate(located);
    return located;
  }

  /** Parses JSON text as a manifest; {@code source} names it in errors. No file checks. */
  public static ModelManifest parse(final String json, final String source) {
    try {
      return requireNonNullManifest(MAPPER.readValue(json, ModelManifest.class), source);
    } catch (final JsonProcessingException e) {
      throw describe(e, source);
    }
  }

  private static ModelManifest parse(final Path file) {
    final String text;
    try {
      text = Files.readString(file);
    } catch (final IOException e) {
      throw new EncoderException("cannot read model manifest " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    return parse(text, file.toAbsolutePath().toString());
  }

  private static ModelManifest requireNonNullManifest(final @Nullable ModelManifest m, final String source) {
    if (m == null) {
      throw new EncoderException("model manifest " + source + " is empty (JSON null); expected an object with \"name\"");
    }
    return m;
  }

  private static EncoderException describe(final JsonProcessingException e, final String source) {
    final String path = e instanceof JsonMappingException ? jsonPath((JsonMappingException) e) : "";
    final String where = "model manifest " + source + (path.isEmpty() ? "" : " at " + path);
    if (e instanceof UnrecognizedPropertyException) {
      final UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
      final String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return new EncoderException(where + ": unknown key \"" + u.getPropertyName() + "\"" + (known.isEmpty() ? ""
          : "; known keys here: " + known), e);
    }
    final String msg = e.getOriginalMessage();
    if (msg != null && msg.startsWith("Missing required creator property")) {
      // Jackson's own wording names the Java parameter; the JSON key is what the user wrote.
      final int a = msg.indexOf('\'');
      final int b = a < 0 ? -1 : msg.indexOf('\'', a + 1);
      final String key = b > a ? msg.substring(a + 1, b) : "?";
      return new EncoderException(where + ": missing required key \"" + key + "\"", e);
    }
    final String loc = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
    return new EncoderException(where + loc + ": " + firstLine(msg), e);
  }

  private static String jsonPath(final JsonMappingException e) {
    final StringBuilder sb = new StringBuilder();
    for (final JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String firstLine(final @Nullable String s) {
    if (s == null) {
      return "malformed JSON";
    }
    final int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void validate(final Located located) {
    final ModelManifest m = located.manifest();
    final List<String> problems = new ArrayList<>();
    if (m.name().isBlank()) {
      problems.add("\"name\" is blank");
    }
    if (m.vision() == null && m.text() == null) {
      problems.add("neither a \"vision\" nor a \"text\" section: nothing to run");
    }
    final VisionSpec v = m.vision();
    if (v != null) {
      problems.addAll(problems(v));
      requireFile(located, "vision.file", v.file(), problems);
      if (v.projection() != null) {
        requireFile(located, "vision.projection", v.projection(), problems);
      }
    }
    final TextSpec t = m.text();
    if (t != null) {
      if (t.contextLength() <= 0) {
        problems.add("text.context_length must be positive, was " + t.contextLength());
      }
      requireFile(located, "text.file", t.file(), problems);
      requireFile(located, "text.vocab", t.vocab(), problems);
    }
    if (!problems.isEmpty()) {
      throw new EncoderException("model manifest " + located.file().toAbsolutePath() + " is invalid: "
          + String.join("; ", problems));
    }
  }

  /** The content problems of a vision section (no file checks), each a short sentence with its key. */
  static List<String> problems(final VisionSpec v) {
    final List<String> p = new ArrayList<>();
    if (v.input().isBlank()) {
      p.add("vision.input is blank");
    }
    if (v.width() <= 0 || v.height() <= 0) {
      p.add("vision.width and vision.height must be positive, were " + v.width() + " and " + v.height());
    }
    checkTriple("vision.mean", v.mean(), false, p);
    checkTriple("vision.std", v.std(), true, p);
    final String patch = v.patchOutput();
    if (patch == null && v.pooledOutput() == null) {
      p.add("neither vision.patch_output nor vision.pooled_output is given: the model's tokens cannot be read");
    }
    if (patch != null) {
      if (v.gridH() <= 0 || v.gridW() <= 0) {
        p.add("vision.grid_h and vision.grid_w must be positive when vision.patch_output is given (patch rows and"
            + " columns, e.g. 14 and 14 for a 224x224 input with 16-pixel patches), were " + v.gridH() + " and "
            + v.gridW());
      } else if (v.gridH() > v.height() || v.gridW() > v.width()) {
        p.add("vision grid " + v.gridH() + "x" + v.gridW() + " has more cells than the " + v.width() + "x"
            + v.height() + " input has pixels");
      }
    } else {
      if (v.clsToken()) {
        p.add("vision.cls_token is true but there is no vision.patch_output for it to lead");
      }
      if (v.gridH() > 1 || v.gridW() > 1) {
        p.add("vision grid " + v.gridH() + "x" + v.gridW() + " given without vision.patch_output; a pooled-only model"
            + " has no grid (leave grid_h and grid_w out)");
      }
    }
    return p;
  }

  private static void checkTriple(final String key, final List<Float> values, final boolean divisor, final List<String> p) {
    if (values.size() != 3) {
      p.add(key + " must hold 3 values (one per channel), had " + values.size());
      return;
    }
    for (int i = 0; i < 3; i++) {
      final Float f = values.get(i);
      if (f == null || !Float.isFinite(f)) {
        p.add(key + "[" + i + "] must be a finite number, was " + f);
      } else if (divisor && f == 0f) {
        p.add(key + "[" + i + "] is 0: std divides the pixel values");
      }
    }
  }

  private static void requireFile(final Located located, final String key, final String name, final List<String> p) {
    if (name.isBlank()) {
      p.add(key + " is blank");
      return;
    }
    final Path f = located.resolve(name);
    if (!Files.isRegularFile(f)) {
      p.add(key + " names \"" + name + "\", which is not a file in " + located.folder() + (Files.exists(f) ? "" : " (missing)"));
    }
  }
}
