package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What fills a text input after the end-of-text token. */
public enum PadMode {
  /** Id 0: OpenAI {@code clip.tokenize}, OpenCLIP, MobileCLIP and TinyCLIP exports. */
  @JsonProperty("zero")
  ZERO,
  /** The end-of-text id (49407): Hugging Face CLIP tokenizers. */
  @JsonProperty("eot")
  EOT
}
