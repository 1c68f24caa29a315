package io.vidctx.ingest;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pull-based source of decoded frames: a video file or URL, a camera, or a Kafka topic.
 *
 * <p>Each stream's frames come in presentation order with strictly increasing {@link
 * VideoFrame#ptsMicros()} and increasing {@link VideoFrame#index()} (dense for a decoded video; the
 * producer's numbering for a topic). A source owns native resources (decoders, consumers): use it in
 * try-with-resources. Implementations are not thread-safe; one thread pulls.
 */
public interface FrameSource extends AutoCloseable {

  /**
   * The next frame, or empty at the regular end of the stream.
   *
   * @throws IngestException when the input turns out to be unreadable. Everything readable before
   *     the failure has already been delivered; the exception names the input and the position.
   */
  Optional<VideoFrame> next();

  /** How many frames this source expects to deliver (for progress bars), when it can tell. */
  default OptionalLong expectedFrames() {
    return OptionalLong.empty();
  }

  /** A short human description of where frames come from (a path, a URL, topic@servers). */
  String describe();

  /** Releases native resources; idempotent, never throws. */
  @Override
  void close();
}
