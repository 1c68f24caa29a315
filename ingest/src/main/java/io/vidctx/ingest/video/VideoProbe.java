package io.vidctx.ingest.video;

import io.vidctx.ingest.IngestException;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** Reads a video's container facts without delivering pictures. */
public final class VideoProbe {

  /** A frame rate above this, derived from a bare time base, is a clock tick, not a rate (1/90000). */
  private static final double MAX_TIME_BASE_FPS = 240;

  private VideoProbe() {}

  /**
   * Opens the input, reads what the container says, and closes it again.
   *
   * @throws IngestException with the same typed subclasses as {@link VideoFileSource#open}
   */
  public static VideoInfo probe(final String location) {
    final VideoLocation where = VideoLocation.parse(location);
    final FFmpegFrameGrabber grabber = Ffmpeg.start(where);
    try {
      return describe(where, grabber);
    } finally {
      Ffmpeg.closeQuietly(grabber);
    }
  }

  /**
   * The facts of a started grabber; refuses inputs without a video stream and still images.
   *
   * @throws IngestException.UnsupportedSourceException no video stream, or a single still image
   */
  static VideoInfo describe(final VideoLocation where, final FFmpegFrameGrabber grabber) {
    final AVFormatContext oc = grabber.getFormatContext();
    final String container = oc.iformat().name().getString();
    final int streams = oc.nb_streams();
    int videoStreams = 0;
    int audioStreams = 0;
    for (int i = 0; i < streams; i++) {
      final int type = oc.streams(i).codecpar().codec_type();
      if (type == avutil.AVMEDIA_TYPE_VIDEO && !isAttachedPicture(oc.streams(i))) {
        videoStreams++;
      } else if (type == avutil.AVMEDIA_TYPE_AUDIO) {
        audioStreams++;
      }
    }
    final int index = videoStreamIndex(oc);
    if (index < 0 || !grabber.hasVideo()) {
      throw new IngestException.UnsupportedSourceException(
          where.display() + " has no video stream (" + container + " with " + audioStreams + " audio and "
              + streams + " streams in all); vidctx needs moving pictures, not just sound");
    }
    if (container.equals("image2") || container.endsWith("_pipe")) {
      throw new IngestException.UnsupportedSourceException(
          where.display() + " is a still image (" + container + "), not a video; read photos with "
              + "io.vidctx.ingest.image.ImageCodec");
    }
    final AVStream st = oc.streams(index);
    final AVCodecParameters par = st.codecpar();
    final long duration = oc.duration() == avutil.AV_NOPTS_VALUE || oc.duration() <= 0 ? -1 : oc.duration();
    final double fps = frameRate(st);
    final long frameCount = st.nb_frames() > 0
        ? st.nb_frames()
        : duration > 0 && fps > 0 ? Math.round(duration * fps / 1_000_000.0) : -1;
    return new VideoInfo(
        where.display(),
        container,
        name(avcodec.avcodec_get_name(par.codec_id())),
        RgbConverter.pixelFormatName(par.format()),
        duration,
        fps,
        par.width(),
        par.height(),
        frameCount,
        streams,
        videoStreams,
        audioStreams,
        Math.max(0, oc.bit_rate()));
  }

  /**
   * The stream JavaCV decodes: the first video stream with a known pixel format (cover art and
   * undecodable streams are passed over), else the first video stream; -1 when there is none.
   */
  static int videoStreamIndex(final AVFormatContext oc) {
    int fallback = -1;
    for (int i = 0; i < oc.nb_streams(); i++) {
      final AVStream st = oc.streams(i);
      if (st.codecpar().codec_type() != avutil.AVMEDIA_TYPE_VIDEO || isAttachedPicture(st)) {
        continue;
      }
      if (st.codecpar().format() != -1) {
        return i;
      }
      if (fallback < 0) {
        fallback = i;
      }
    }
    return fallback;
  }

  private static boolean isAttachedPicture(final AVStream st) {
    return (st.disposition() & avformat.AV_DISPOSITION_ATTACHED_PIC) != 0;
  }

  /** Average rate, else the real base rate, else one frame per time-base tick when that is plausible. */
  static double frameRate(final AVStream st) {
    final double avg = rate(st.avg_frame_rate());
    if (avg > 0) {
      return avg;
    }
    final double real = rate(st.r_frame_rate());
    if (real > 0) {
      return real;
    }
    final AVRational tb = st.time_base();
    final double perTick = tb.num() > 0 && tb.den() > 0 ? (double) tb.den() / tb.num() : 0;
    return perTick > 0 && perTick <= MAX_TIME_BASE_FPS ? perTick : 0;
  }

  private static double rate(final AVRational r) {
    return r.num() > 0 && r.den() > 0 ? (double) r.num() / r.den() : 0;
  }

  static String name(final BytePointer p) {
    return p == null || p.isNull() ? "unknown" : p.getString();
  }
}
