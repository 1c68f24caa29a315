package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A model folder's {@code vidctx-model.json}: what the ONNX files are and how to drive them. A CLIP
 * bundle has both a vision and a text side; a plain image encoder (DINOv2, the built-in encoder)
 * only a vision side.
 *
 * <pre>{@code
 * {
 *   "name": "clip-vit-b-32",
 *   "vision": {"file": "visual.onnx", "input": "pixel_values", "width": 224, "height": 224,
 *              "mean": [0.4815, 0.4578, 0.4082], "std": [0.2686, 0.2613, 0.2758],
 *              "patch_output": "last_hidden_state", "pooled_output": "image_embeds",
 *              "cls_token": true, "grid_h": 7, "grid_w": 7},
 *   "text": {"file": "textual.onnx", "output": "text_embeds", "vocab": "bpe_simple_vocab_16e6.txt.gz"},
 *   "sha256": {"visual.onnx": "…", "textual.onnx": "…"}
 * }
 * }</pre>
 *
 * @param name short model name
 * @param description free text (source, licence)
 * @param vision the image side, or null
 * @param text the text side, or null
 * @param sha256 expected checksums of files in the folder, by relative name (may be empty)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelManifest(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty("description") @Nullable String description,
    @JsonProperty("vision") @Nullable VisionSpec vision,
    @JsonProperty("text") @Nullable TextSpec text,
    @JsonProperty("sha256") @Nullable Map<String, String> sha256) {

  /** The file name a model folder's manifest has. */
  public static final String FILE_NAME = "vidctx-model.json";

  public ModelManifest {
    sha256 = sha256 == null ? Map.of() : Map.copyOf(sha256);
    description = description == null ? "" : description;
  }
}
