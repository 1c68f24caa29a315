package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The vision side of a model manifest: how to feed frames to the ONNX graph and how to read tokens
 * back. Field names are the JSON keys.
 *
 * @param file the ONNX file, relative to the manifest's folder
 * @param input name of the image input, shaped {@code [N, 3, height, width]} (NCHW, float32)
 * @param width input width in pixels
 * @param height input height in pixels
 * @param resize how frames are fitted to width × height
 * @param mean per-channel mean subtracted after scaling pixels to [0, 1] (in model channel order)
 * @param std per-channel divisor applied after the mean
 * @param channels channel order the model expects
 * @param patchOutput output with patch tokens {@code [N, T, D]}; T = gridH × gridW (+ 1 with a CLS
 *     token); null when the model has only a pooled output
 * @param pooledOutput output with one embedding per image {@code [N, D]} or {@code [N, E]}; null means
 *     "mean of the patch tokens"
 * @param clsToken whether the patch output starts with a CLS token (dropped from the patch grid)
 * @param gridH patch rows of the patch output
 * @param gridW patch columns of the patch output
 * @param projection optional float32 little-endian file holding a {@code [D, E]} matrix applied to
 *     patch tokens (and to the pooled output when that is D wide), as CLIP's visual projection
 * @param normalize L2-normalise patch and global embeddings after projection
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record VisionSpec(
    @JsonProperty(value = "file", required = true) String file,
    @JsonProperty(value = "input", required = true) String input,
    @JsonProperty(value = "width", required = true) int width,
    @JsonProperty(value = "height", required = true) int height,
    @JsonProperty("resize") @Nullable ResizeMode resize,
    @JsonProperty("mean") @Nullable List<Float> mean,
    @JsonProperty("std") @Nullable List<Float> std,
    @JsonProperty("channels") @Nullable ChannelOrder channels,
    @JsonProperty("patch_output") @Nullable String patchOutput,
    @JsonProperty("pooled_output") @Nullable String pooledOutput,
    @JsonProperty("cls_token") boolean clsToken,
    @JsonProperty("grid_h") int gridH,
    @JsonProperty("grid_w") int gridW,
    @JsonProperty("projection") @Nullable String projection,
    @JsonProperty("normalize") @Nullable Boolean normalize) {

  /** Defaults: centre crop, CLIP-neutral scaling (mean 0, std 1), RGB, normalised output. */
  public VisionSpec {
    resize = resize == null ? ResizeMode.SHORTER_SIDE_CENTER_CROP : resize;
    mean = mean == null ? List.of(0f, 0f, 0f) : List.copyOf(mean);
    std = std == null ? List.of(1f, 1f, 1f) : List.copyOf(std);
    channels = channels == null ? ChannelOrder.RGB : channels;
    normalize = normalize == null ? Boolean.TRUE : normalize;
  }
}
