package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The text side of a model manifest (a CLIP-family text tower).
 *
 * @param file the ONNX file, relative to the manifest's folder
 * @param inputIds name of the token-id input {@code [N, contextLength]}
 * @param idType element type of the id input
 * @param attentionMask name of an optional attention-mask input (1 for tokens up to EOT, 0 after);
 *     null when the model has none
 * @param output name of the text-embedding output {@code [N, E]}
 * @param contextLength token slots per text (77 for CLIP)
 * @param pad what fills the slots after EOT
 * @param vocab BPE merges file ({@code bpe_simple_vocab_16e6.txt.gz}), relative to the manifest's
 *     folder, or absolute
 * @param normalize L2-normalise the output embedding
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record TextSpec(
    @JsonProperty(value = "file", required = true) String file,
    @JsonProperty("input_ids") @Nullable String inputIds,
    @JsonProperty("id_type") @Nullable IdType idType,
    @JsonProperty("attention_mask") @Nullable String attentionMask,
    @JsonProperty(value = "output", required = true) String output,
    @JsonProperty("context_length") @Nullable Integer contextLength,
    @JsonProperty("pad") @Nullable PadMode pad,
    @JsonProperty(value = "vocab", required = true) String vocab,
    @JsonProperty("normalize") @Nullable Boolean normalize) {

  /** Defaults: {@code input_ids}, int64, 77 slots, zero padding, normalised output. */
  public TextSpec {
    inputIds = inputIds == null ? "input_ids" : inputIds;
    idType = idType == null ? IdType.INT64 : idType;
    contextLength = contextLength == null ? 77 : contextLength;
    pad = pad == null ? PadMode.ZERO : pad;
    normalize = normalize == null ? Boolean.TRUE : normalize;
  }
}
