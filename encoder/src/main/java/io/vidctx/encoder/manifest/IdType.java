package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Element type of a text model's token-id input. */
public enum IdType {
  @JsonProperty("int64")
  INT64,
  @JsonProperty("int32")
  INT32
}
