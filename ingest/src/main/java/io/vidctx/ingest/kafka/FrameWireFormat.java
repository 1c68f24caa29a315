package io.vidctx.ingest.kafka;

/**
 * The Kafka frame wire format, which any producer may follow (DESIGN.md "ingest"): key = stream id
 * (UTF-8; keeps one stream's frames ordered in one partition); value = the picture as JPEG (default),
 * PNG or raw RGB24; headers carry index, presentation time, size and format as UTF-8 decimal text.
 * SKELETON: the ingest-kafka work adds record conversion both ways.
 */
public final class FrameWireFormat {
  public static final String DEFAULT_TOPIC = "vidctx.frames";
  public static final String HEADER_INDEX = "vidctx.index";
  public static final String HEADER_PTS_US = "vidctx.pts-us";
  public static final String HEADER_WIDTH = "vidctx.width";
  public static final String HEADER_HEIGHT = "vidctx.height";
  public static final String HEADER_FORMAT = "vidctx.format";

  private FrameWireFormat() {}
}
