package io.vidctx.ingest.kafka;

/** What a {@link FramePublisher#publish} run sent: frames acknowledged, value bytes, wall time. */
public record PublishResult(long frames, long valueBytes, long elapsedNanos) {
  public double framesPerSecond() {
    return elapsedNanos <= 0 ? 0 : frames * 1e9 / elapsedNanos;
  }

  public double megabytesPerSecond() {
    return elapsedNanos <= 0 ? 0 : valueBytes / 1e6 * 1e9 / elapsedNanos;
  }
}
