package io.vidctx.ingest.kafka;

import io.vidctx.ingest.image.ImageFormat;
import java.util.Objects;

/**
 * A frame as it travels in a record: its picture still encoded (JPEG, PNG or raw RGB24) plus the
 * header fields of the {@link FrameWireFormat}. Producers that already hold JPEGs (MJPEG cameras,
 * pre-encoded files) publish these directly, skipping a decode/encode round trip.
 *
 * <p>Invariants: size positive, index non-negative. {@code data} is not copied nor checked against
 * the size here (that needs a decode; {@link FrameWireFormat#decode} does it).
 */
public record EncodedFrame(
    String streamId, long index, long ptsMicros, int width, int height, ImageFormat format, byte[] data) {
  public EncodedFrame {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(data, "data");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
  }
}
