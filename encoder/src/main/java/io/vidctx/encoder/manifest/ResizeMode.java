package io.vidctx.encoder.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a frame is fitted to the model's input size. */
public enum ResizeMode {
  /** Scale so the shorter side fits, then crop the centre (CLIP, OpenCLIP, SigLIP). */
  @JsonProperty("shorter_side_center_crop")
  SHORTER_SIDE_CENTER_CROP,
  /** Scale each axis independently to the input size (aspect ratio not kept). */
  @JsonProperty("stretch")
  STRETCH,
  /** Scale so the longer side fits and pad the rest with the mean colour (whole frame kept). */
  @JsonProperty("letterbox")
  LETTERBOX
}
