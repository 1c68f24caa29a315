package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Channel order of the model's image input (frames are RGB). */
public enum ChannelOrder {
  @JsonProperty("rgb")
  RGB,
  @JsonProperty("bgr")
  BGR
}
