package io.vidctx.ingest.video;

/** Reads a video's container facts without decoding pictures. SKELETON. */
public final class VideoProbe {
  private VideoProbe() {}

  /**
   * @throws io.vidctx.ingest.IngestException with the same typed subclasses as {@link
   *     VideoFileSource#open}
   */
  public static VideoInfo probe(final String location) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
