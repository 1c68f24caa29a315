package io.vidctx.ingest.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.IngestException.MalformedRecordException;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.Photos.Photo;
import io.vidctx.ingest.testing.SharedData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** OpenCV-backed encode/decode of the 16 real photos, and refusal of damaged bytes. */
class ImageCodecTest {
  // Quality 90 with OpenCV's 4:2:0 chroma: measured mean error per byte 0.2–3.8 on 14 photos, 5.1
  // on the mandrill's fur and 8.1 on the giraffe/zebra foliage and stripes (fine detail that chroma
  // subsampling blurs). A colour swap or a shifted picture gives 30+.
  private static final double JPEG_Q90_MAX_MEAN_ERROR = 10.0;
  private static final double JPEG_Q90_MAX_AVERAGE_ERROR = 4.0;

  private final ImageCodec codec = new ImageCodec(90);

  @Test
  void shouldReadEveryPhotoAtItsCatalogueSize() {
    final List<Photo> photos = Photos.all();
    assertEquals(16, photos.size(), "CAPTIONS.tsv lists 16 photos");
    for (final Photo p : photos) {
      final DecodedImage img = codec.read(SharedData.image(p.file()));
      assertEquals(p.width(), img.width(), p.file());
      assertEquals(p.height(), img.height(), p.file());
      // A real photo has texture: a grey or black result (a failed decode) has no spread.
      assertTrue(stddev(img.rgb()) > 10, p.file() + " decoded without texture");
    }
  }

  @Test
  void shouldRoundTripEveryPhotoThroughJpegWithinJpegError() {
    double total = 0;
    for (final Photo p : Photos.all()) {
      final DecodedImage img = Photos.read(p.file());
      final byte[] jpeg = codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG);
      assertTrue(PictureStructure.looksLikeJpeg(jpeg), p.file());
      assertTrue(jpeg.length < img.rgb().length / 3, p.file() + " JPEG should compress: " + jpeg.length);
      final DecodedImage back = codec.decode(jpeg, ImageFormat.JPEG, img.width(), img.height());
      assertEquals(img.width(), back.width());
      assertEquals(img.height(), back.height());
      final double mae = Photos.meanAbsoluteError(img.rgb(), back.rgb());
      assertTrue(mae < JPEG_Q90_MAX_MEAN_ERROR, p.file() + " mean abs error " + mae);
      total += mae;
    }
    final double average = total / Photos.all().size();
    assertTrue(average < JPEG_Q90_MAX_AVERAGE_ERROR, "average mean abs error over all photos " + average);
  }

  @Test
  void shouldKeepChannelOrderThroughJpeg() {
    // A pure red picture must come back red, not blue: catches a missing RGB/BGR conversion.
    final int w = 64;
    final int h = 48;
    final byte[] red = new byte[w * h * 3];
    for (int i = 0; i < red.length; i += 3) {
      red[i] = (byte) 220;
      red[i + 1] = 20;
      red[i + 2] = 30;
    }
    final DecodedImage back = codec.decode(codec.encode(red, w, h, ImageFormat.JPEG), ImageFormat.JPEG, w, h);
    final int px = (back.rgb()[0] & 0xff) << 16 | (back.rgb()[1] & 0xff) << 8 | (back.rgb()[2] & 0xff);
    assertTrue((px >> 16) > 190 && ((px >> 8) & 0xff) < 50 && (px & 0xff) < 60, Integer.toHexString(px));
  }

  @Test
  void shouldRoundTripEveryPhotoThroughPngExactly() {
    for (final Photo p : Photos.all()) {
      final DecodedImage img = Photos.read(p.file());
      final byte[] png = codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.PNG);
      assertTrue(PictureStructure.looksLikePng(png), p.file());
      final DecodedImage back = codec.decode(png, ImageFormat.PNG, img.width(), img.height());
      assertArrayEquals(img.rgb(), back.rgb(), p.file());
    }
  }

  @Test
  void shouldRoundTripRawExactlyWithoutCopying() {
    final DecodedImage img = Photos.read("cat.png");
    final byte[] raw = codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.RAW);
    assertSame(img.rgb(), raw);
    final DecodedImage back = codec.decode(raw, ImageFormat.RAW, img.width(), img.height());
    assertArrayEquals(img.rgb(), back.rgb());
  }

  @Test
  void shouldDecodeAPngFileTheSameWayAsItsBytes() throws Exception {
    final byte[] bytes = Files.readAllBytes(SharedData.image("astronaut.png"));
    final DecodedImage fromBytes = codec.decode(bytes, ImageFormat.PNG, 512, 512);
    assertArrayEquals(codec.read(SharedData.image("astronaut.png")).rgb(), fromBytes.rgb());
  }

  @Test
  void shouldExpandGrayscaleAndDropAlpha() {
    final DecodedImage img = Photos.read("mandrill.jpg");
    try (Mat rgb = new Mat(img.height(), img.width(), CV_8UC3);
        Mat gray = new Mat();
        Mat rgba = new Mat();
        BytePointer grayPng = new BytePointer();
        BytePointer rgbaPng = new BytePointer()) {
      rgb.data().put(img.rgb(), 0, img.rgb().length);
      opencv_imgproc.cvtColor(rgb, gray, opencv_imgproc.COLOR_RGB2GRAY);
      opencv_imgproc.cvtColor(rgb, rgba, opencv_imgproc.COLOR_RGB2BGRA);
      assertEquals(CV_8UC1, gray.type());
      assertTrue(opencv_imgcodecs.imencode(".png", gray, grayPng));
      assertTrue(opencv_imgcodecs.imencode(".png", rgba, rgbaPng));

      final byte[] grayBytes = bytes(grayPng);
      final DecodedImage fromGray = codec.decode(grayBytes, ImageFormat.PNG, img.width(), img.height());
      final byte[] g = new byte[img.width() * img.height()];
      gray.data().get(g);
      for (int i = 0; i < g.length; i++) {
        assertEquals(g[i], fromGray.rgb()[3 * i], "R of pixel " + i);
        assertEquals(g[i], fromGray.rgb()[3 * i + 1], "G of pixel " + i);
        assertEquals(g[i], fromGray.rgb()[3 * i + 2], "B of pixel " + i);
      }
      final DecodedImage fromRgba = codec.decode(bytes(rgbaPng), ImageFormat.PNG, img.width(), img.height());
      assertArrayEquals(img.rgb(), fromRgba.rgb());
    }
  }

  @Test
  void shouldRefuseATruncatedJpeg() throws Exception {
    final byte[] jpeg = Files.readAllBytes(SharedData.image("dog_bicycle.jpg"));
    final byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> codec.decode(cut, ImageFormat.JPEG, 768, 576));
    assertTrue(e.getMessage().contains("JPEG picture of " + cut.length + " bytes is not a decodable picture"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void shouldRefuseEveryPhotoTruncatedTo60Percent() throws Exception {
    for (final Photo p : Photos.all()) {
      final byte[] bytes = Files.readAllBytes(SharedData.image(p.file()));
      final byte[] cut = Arrays.copyOf(bytes, bytes.length * 6 / 10);
      final ImageFormat f = p.file().endsWith(".png") ? ImageFormat.PNG : ImageFormat.JPEG;
      assertThrows(MalformedRecordException.class, () -> codec.decode(cut, f), p.file());
    }
  }

  @Test
  void shouldRefuseAJpegWithGarbageInItsImageData() throws Exception {
    final byte[] jpeg = Files.readAllBytes(SharedData.image("horses.jpg"));
    final Random random = new Random(42);
    final byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    System.arraycopy(garbage, 0, jpeg, jpeg.length / 2, garbage.length);
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> codec.decode(jpeg, ImageFormat.JPEG));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void shouldRefuseAJpegWithZeroedHeaders() throws Exception {
    final byte[] jpeg = Files.readAllBytes(SharedData.image("palace.jpg"));
    Arrays.fill(jpeg, 2, 600, (byte) 0);
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> codec.decode(jpeg, ImageFormat.JPEG));
    assertTrue(e.getMessage().contains("not a decodable picture"), e.getMessage());
  }

  @Test
  void shouldRefuseAPngWithZeroedBytesByItsCrc() throws Exception {
    final byte[] png = Files.readAllBytes(SharedData.image("coffee.png"));
    Arrays.fill(png, png.length / 2, png.length / 2 + 64, (byte) 0);
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> codec.decode(png, ImageFormat.PNG, 600, 400));
    assertTrue(e.getMessage().contains("CRC"), e.getMessage());
  }

  @Test
  void shouldRefuseRandomBytesAndEmptyData() {
    final byte[] random = new byte[10_000];
    new Random(7).nextBytes(random);
    for (final ImageFormat f : List.of(ImageFormat.JPEG, ImageFormat.PNG)) {
      final MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> codec.decode(random, f));
      assertTrue(e.getMessage().contains("10000 bytes is not a decodable picture"), e.getMessage());
      assertThrows(MalformedRecordException.class, () -> codec.decode(new byte[0], f));
    }
  }

  @Test
  void shouldRefuseAPictureOfAnotherFormatThanClaimed() throws Exception {
    final byte[] png = Files.readAllBytes(SharedData.image("cat.png"));
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> codec.decode(png, ImageFormat.JPEG, 451, 300));
    assertTrue(e.getMessage().contains("start-of-image"), e.getMessage());
  }

  @Test
  void shouldSayWhenTheStoredSizeDiffersFromTheHeaders() {
    final DecodedImage img = Photos.resize(Photos.read("eagle.jpg"), 64, 48);
    final byte[] jpeg = codec.encode(img.rgb(), 64, 48, ImageFormat.JPEG);
    final MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> codec.decode(jpeg, ImageFormat.JPEG, 48, 64));
    assertTrue(e.getMessage().contains("is 64x48, but its headers say 48x64"), e.getMessage());
  }

  @Test
  void shouldRefuseRawOfTheWrongLength() {
    final MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> codec.decode(new byte[100], ImageFormat.RAW, 10, 10));
    assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("needs exactly 300 bytes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> codec.encode(new byte[100], 10, 10, ImageFormat.JPEG));
  }

  @Test
  void shouldShrinkJpegWithLowerQuality() {
    final DecodedImage img = Photos.read("kites_beach.jpg");
    final int high = new ImageCodec(95).encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG).length;
    final int low = new ImageCodec(40).encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG).length;
    assertTrue(low < high * 0.6, "quality 40: " + low + " bytes, quality 95: " + high);
  }

  @Test
  void shouldReportMissingAndNonPictureFiles() {
    final IngestException.SourceNotFoundException missing = assertThrows(IngestException.SourceNotFoundException.class,
        () -> codec.read(SharedData.root().resolve("images/no-such-photo.jpg")));
    assertTrue(missing.getMessage().contains("no-such-photo.jpg"), missing.getMessage());
    final IngestException.UnsupportedSourceException notPicture = assertThrows(
        IngestException.UnsupportedSourceException.class, () -> codec.read(SharedData.image("CAPTIONS.tsv")));
    assertTrue(notPicture.getMessage().contains("CAPTIONS.tsv is not a readable picture"), notPicture.getMessage());
  }

  @Test
  void shouldGiveTheSameResultsFromManyThreads() throws Exception {
    final DecodedImage img = Photos.read("squirrel.jpg");
    final byte[] expected = codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> {
          final byte[] jpeg = codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG);
          codec.decode(jpeg, ImageFormat.JPEG, img.width(), img.height());
          return jpeg;
        }));
      }
      for (final Future<byte[]> f : results) {
        assertArrayEquals(expected, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] bytes(final BytePointer p) {
    final byte[] out = new byte[(int) (p.limit() - p.position())];
    p.get(out);
    return out;
  }

  private static double stddev(final byte[] rgb) {
    double sum = 0;
    double sq = 0;
    for (final byte b : rgb) {
      final int v = b & 0xff;
      sum += v;
      sq += (double) v * v;
    }
    final double mean = sum / rgb.length;
    return Math.sqrt(sq / rgb.length - mean * mean);
  }
}
