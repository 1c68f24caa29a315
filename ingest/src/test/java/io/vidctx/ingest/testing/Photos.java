package io.vidctx.ingest.testing;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** The real photos of {@code images/} (names from CAPTIONS.tsv), decoded and resized with OpenCV. */
public final class Photos {
  private Photos() {}

  /** One row of CAPTIONS.tsv: the file name and its stored size. */
  public record Photo(String file, int width, int height) {}

  /** Every photo listed in CAPTIONS.tsv (16 of them, JPEG and PNG). */
  public static List<Photo> all() {
    try {
      final List<String> lines = Files.readAllLines(SharedData.image("CAPTIONS.tsv"), StandardCharsets.UTF_8);
      final List<Photo> photos = new ArrayList<>();
      for (final String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          final String[] f = line.split("\t", -1);
          photos.add(new Photo(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
      }
      return photos;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A photo read from the shared folder. */
  public static DecodedImage read(final String file) {
    return new ImageCodec().read(SharedData.image(file));
  }

  /** Resizes with OpenCV's area interpolation (or linear when enlarging). */
  public static DecodedImage resize(final DecodedImage image, final int width, final int height) {
    try (Mat src = new Mat(image.height(), image.width(), CV_8UC3);
        Mat dst = new Mat();
        Size size = new Size(width, height)) {
      src.data().put(image.rgb(), 0, image.rgb().length);
      final boolean shrink = width <= image.width() && height <= image.height();
      opencv_imgproc.resize(src, dst, size, 0, 0, shrink ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR);
      final byte[] out = new byte[width * height * 3];
      dst.data().get(out);
      return new DecodedImage(width, height, out);
    }
  }

  /**
   * Frames made from all photos resized to one size, alternating between two streams ("even" photos
   * in {@code streamA}, odd ones in {@code streamB}), each stream with its own dense index and pts
   * 40 ms apart.
   */
  public static List<VideoFrame> interleavedFrames(
      final String streamA, final String streamB, final int width, final int height) {
    final List<Photo> photos = all();
    final List<VideoFrame> frames = new ArrayList<>();
    for (int i = 0; i < photos.size(); i++) {
      final DecodedImage img = resize(read(photos.get(i).file()), width, height);
      final String stream = i % 2 == 0 ? streamA : streamB;
      final long index = i / 2;
      frames.add(new VideoFrame(stream, index, 1_000 + index * 40_000, width, height, img.rgb()));
    }
    return frames;
  }

  /** Mean absolute difference per byte of two same-sized RGB24 pictures. */
  public static double meanAbsoluteError(final byte[] a, final byte[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
    }
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }
}
