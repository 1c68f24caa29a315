package io.vidctx.samples.demo;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.image.DecodedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Writes a synthetic demo video, deterministic from a seed: 640x360 at 25 fps, MPEG-4 Part 2 in MP4
 * (an encoder the bundled FFmpeg has; it has no libx264), made of a few scenes with known cut times.
 *
 * <p>Each scene has its own background (solid, gradient, checkerboard or stripes) in its own hue,
 * alternating dark and bright so that every cut is a large jump in pixel values; within a scene a
 * few shapes glide and bounce (small frame-to-frame changes), and a running clock ({@code MM:SS.cc})
 * plus the scene number are drawn with OpenCV {@code putText}. The same seed and duration give the
 * same pictures and the same scene plan.
 */
public final class DemoVideoGenerator {
  public static final int WIDTH = 640;
  public static final int HEIGHT = 360;
  public static final int FPS = 25;
  /** The FFmpeg encoder used. */
  public static final String CODEC = "mpeg4";
  /** Encoder bit rate: plenty for flat synthetic pictures (decoded frames stay within ~1/255 of the rendered ones). */
  static final int BIT_RATE = 2_000_000;

  private static final String[] KINDS = {"solid", "gradient", "checkerboard", "stripes"};

  private final long seed;
  private final long frameCount;
  private final List<Scene> scenes;
  private final List<SceneStyle> styles;

  /** A scene's look: background kind, colour, brightness, shapes. */
  private record SceneStyle(String kind, double[] bgBgr, double[] bg2Bgr, List<Shape> shapes) {}

  /** A moving shape: circle or square of {@code size} px, starting at (x0, y0), moving (vx, vy) px/s. */
  private record Shape(boolean circle, int size, double x0, double y0, double vx, double vy, double[] bgr) {}

  /**
   * @param seed picks scene lengths, colours and shapes
   * @param durationSeconds length of the video, 0.2 s .. 1 h
   */
  public DemoVideoGenerator(final long seed, final double durationSeconds) {
    if (!(durationSeconds >= 0.2 && durationSeconds <= 3600)) {
      throw new IllegalArgumentException("duration must be in 0.2 .. 3600 s, was " + durationSeconds);
    }
    this.seed = seed;
    this.frameCount = Math.round(durationSeconds * FPS);
    final Random rnd = new Random(seed);
    this.scenes = planScenes(rnd, frameCount);
    this.styles = new ArrayList<>();
    final double hue0 = rnd.nextDouble();
    for (final Scene s : scenes) {
      styles.add(style(rnd, s.index(), hue0));
    }
  }

  public long seed() {
    return seed;
  }

  public long frameCount() {
    return frameCount;
  }

  /** The scene plan (available before anything is written). */
  public List<Scene> scenes() {
    return List.copyOf(scenes);
  }

  /**
   * Writes the video to {@code file} (parent folders are created; an existing file is replaced).
   *
   * @throws IngestException when FFmpeg cannot write the file
   */
  public DemoVideo generate(final Path file) {
    try {
      final Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (final IOException e) {
      throw new IngestException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    // FFmpeg prints the output format at INFO level; keep it at ERROR, as the ingest decoder does.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    try (PointerScope outer = new PointerScope();
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toString(), WIDTH, HEIGHT, 0);
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
      recorder.setFormat("mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(FPS);
      recorder.setGopSize(FPS);
      recorder.setVideoBitrate(BIT_RATE);
      recorder.setVideoOption("threads", "1");
      recorder.start();
      final Mat bgr = new Mat(HEIGHT, WIDTH, CV_8UC3);
      for (long f = 0; f < frameCount; f++) {
        try (PointerScope perFrame = new PointerScope()) {
          render(f, bgr);
          recorder.record(converter.convert(bgr), avutil.AV_PIX_FMT_BGR24);
        }
      }
      recorder.stop();
    } catch (final FrameRecorder.Exception e) {
      throw new IngestException("cannot write the demo video " + file + ": " + e.getMessage(), e);
    }
    return new DemoVideo(file, WIDTH, HEIGHT, FPS, frameCount, CODEC, scenes);
  }

  /** Frame {@code f} as packed RGB24, exactly as it is handed to the encoder. */
  public DecodedImage renderRgb(final long f) {
    try (PointerScope scope = new PointerScope()) {
      final Mat bgr = new Mat(HEIGHT, WIDTH, CV_8UC3);
      render(f, bgr);
      final Mat rgb = new Mat();
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      final byte[] out = new byte[WIDTH * HEIGHT * 3];
      rgb.data().get(out, 0, out.length);
      return new DecodedImage(WIDTH, HEIGHT, out);
    }
  }

  /** The scene that frame {@code f} belongs to. */
  public Scene sceneOf(final long f) {
    if (f < 0 || f >= frameCount) {
      throw new IllegalArgumentException("frame " + f + " outside 0.." + (frameCount - 1));
    }
    for (final Scene s : scenes) {
      if (f < s.firstFrame() + s.frameCount()) {
        return s;
      }
    }
    throw new IllegalStateException("no scene holds frame " + f);
  }

  private void render(final long f, final Mat bgr) {
    final Scene scene = sceneOf(f);
    final SceneStyle style = styles.get(scene.index());
    drawBackground(bgr, style);
    final double t = (f - scene.firstFrame()) / (double) FPS;
    for (final Shape s : style.shapes()) {
      final int x = bounce(s.x0() + s.vx() * t, WIDTH - s.size());
      final int y = bounce(s.y0() + s.vy() * t, HEIGHT - s.size());
      if (s.circle()) {
        circle(bgr, new Point(x + s.size() / 2, y + s.size() / 2), s.size() / 2, scalar(s.bgr()), FILLED, LINE_AA, 0);
      } else {
        rectangle(bgr, new Rect(x, y, s.size(), s.size()), scalar(s.bgr()), FILLED, LINE_8, 0);
      }
    }
    final long centis = f * 100 / FPS;
    final String clock = String.format(Locale.ROOT, "%02d:%02d.%02d", centis / 6000, centis / 100 % 60, centis % 100);
    outlinedText(bgr, clock, 16, 44, 1.2);
    outlinedText(bgr, String.format(Locale.ROOT, "scene %d/%d  %s", scene.index() + 1, scenes.size(), style.kind()),
        16, HEIGHT - 18, 0.7);
    outlinedText(bgr, String.format(Locale.ROOT, "frame %d", f), WIDTH - 170, 36, 0.7);
  }

  private static void drawBackground(final Mat bgr, final SceneStyle style) {
    final Scalar a = scalar(style.bgBgr());
    switch (style.kind()) {
      case "gradient" -> {
        final int bands = 24;
        for (int b = 0; b < bands; b++) {
          final double k = b / (double) (bands - 1);
          final double[] c = new double[3];
          for (int i = 0; i < 3; i++) {
            c[i] = style.bgBgr()[i] * (1 - k) + style.bg2Bgr()[i] * k;
          }
          final int y0 = b * HEIGHT / bands;
          final int y1 = (b + 1) * HEIGHT / bands;
          rectangle(bgr, new Rect(0, y0, WIDTH, y1 - y0), scalar(c), FILLED, LINE_8, 0);
        }
      }
      case "checkerboard" -> {
        bgr.put(a);
        final int cell = 40;
        final Scalar b = scalar(style.bg2Bgr());
        for (int y = 0; y < HEIGHT; y += cell) {
          for (int x = 0; x < WIDTH; x += cell) {
            if (((x / cell) + (y / cell)) % 2 == 1) {
              rectangle(bgr, new Rect(x, y, Math.min(cell, WIDTH - x), Math.min(cell, HEIGHT - y)), b, FILLED, LINE_8, 0);
            }
          }
        }
      }
      case "stripes" -> {
        bgr.put(a);
        final Scalar b = scalar(style.bg2Bgr());
        for (int x = 0; x < WIDTH; x += 64) {
          rectangle(bgr, new Rect(x, 0, 32, HEIGHT), b, FILLED, LINE_8, 0);
        }
      }
      default -> bgr.put(a);
    }
  }

  private static void outlinedText(final Mat bgr, final String text, final int x, final int y, final double scale) {
    putText(bgr, text, new Point(x, y), FONT_HERSHEY_SIMPLEX, scale, new Scalar(0, 0, 0, 0), 5, LINE_AA, false);
    putText(bgr, text, new Point(x, y), FONT_HERSHEY_SIMPLEX, scale, new Scalar(255, 255, 255, 0), 2, LINE_AA, false);
  }

  /** Position moving on [0, span] and reflecting at both ends. */
  private static int bounce(final double p, final int span) {
    if (span <= 0) {
      return 0;
    }
    final double period = 2.0 * span;
    double m = p % period;
    if (m < 0) {
      m += period;
    }
    return (int) Math.round(m <= span ? m : period - m);
  }

  private static List<Scene> planScenes(final Random rnd, final long frames) {
    final int count = frames < 2L * FPS ? 1 : (int) Math.max(2, Math.min(6, frames / (4L * FPS)));
    final double[] weights = new double[count];
    double total = 0;
    for (int i = 0; i < count; i++) {
      weights[i] = 0.7 + 0.6 * rnd.nextDouble();
      total += weights[i];
    }
    final List<Scene> scenes = new ArrayList<>();
    long start = 0;
    double cumulative = 0;
    for (int i = 0; i < count; i++) {
      cumulative += weights[i];
      final long end = i == count - 1 ? frames : Math.max(start + 1, Math.round(frames * cumulative / total));
      scenes.add(new Scene(i, start, end - start, start * 1_000_000L / FPS, end * 1_000_000L / FPS,
          KINDS[i % KINDS.length]));
      start = end;
    }
    return scenes;
  }

  private static SceneStyle style(final Random rnd, final int index, final double hue0) {
    final double hue = (hue0 + index * 0.381966) % 1.0;
    final boolean bright = index % 2 == 1;
    final double[] bg = hsvToBgr(hue, 0.65, bright ? 0.85 : 0.28);
    final double[] bg2 = hsvToBgr((hue + 0.08) % 1.0, 0.55, bright ? 0.65 : 0.45);
    final int n = 3 + rnd.nextInt(3);
    final List<Shape> shapes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final int size = 24 + rnd.nextInt(48);
      final double speed = 40 + rnd.nextDouble() * 120;
      final double angle = rnd.nextDouble() * 2 * Math.PI;
      shapes.add(new Shape(rnd.nextBoolean(), size, rnd.nextDouble() * (WIDTH - size), rnd.nextDouble() * (HEIGHT - size),
          speed * Math.cos(angle), speed * Math.sin(angle),
          hsvToBgr((hue + 0.5 + 0.1 * i) % 1.0, 0.9, bright ? 0.35 : 0.95)));
    }
    return new SceneStyle(KINDS[index % KINDS.length], bg, bg2, List.copyOf(shapes));
  }

  /** HSV in 0..1 to a BGR triple in 0..255. */
  private static double[] hsvToBgr(final double h, final double s, final double v) {
    final double c = v * s;
    final double hp = h * 6;
    final double x = c * (1 - Math.abs(hp % 2 - 1));
    final double r;
    final double g;
    final double b;
    switch ((int) hp % 6) {
      case 0 -> { r = c; g = x; b = 0; }
      case 1 -> { r = x; g = c; b = 0; }
      case 2 -> { r = 0; g = c; b = x; }
      case 3 -> { r = 0; g = x; b = c; }
      case 4 -> { r = x; g = 0; b = c; }
      default -> { r = c; g = 0; b = x; }
    }
    final double m = v - c;
    return new double[] {(b + m) * 255, (g + m) * 255, (r + m) * 255};
  }

  private static Scalar scalar(final double[] bgr) {
    return new Scalar(bgr[0], bgr[1], bgr[2], 0);
  }
}
