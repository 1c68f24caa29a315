package io.vidctx.encoder.ocr;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.onnx.OrtSessions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/*
 * Two models (three with the orientation classifier), each with its pre- and post-processing in plain
 * Java next to it:
 *   detection   frame -> longer side <= maxSide, multiples of 32, ImageNet mean/std, CHW
 *               -> probability map [1,1,H,W] -> DbPostprocessor -> boxes in frame pixels
 *   recognition box crop -> height 48, width by aspect (squeezed at recMaxWidth), (x/255-0.5)/0.5
 *               -> padded to the batch's widest crop -> [N,T,C] -> CtcDecoder
 *   orientation (only with OcrConfig.classify) box crop -> height 48, width by aspect up to 192, same
 *               normalisation, the rest of the 192 columns 0 (PaddleOCR's ClsPreProcess) -> [N,2]; a crop
 *               that is "rotated 180" with p >= classifyThreshold is recognised turned the right way up
 * Crops are batched by width (sorted by aspect ratio) so padding stays small. Sessions are checked
 * when opened: a model of the wrong kind or shape fails there, naming the file and what it has.
 */

/**
 * Reads on-screen text with PP-OCRv4 on ONNX Runtime: text boxes and their text. Holds two sessions (three
 * with {@link OcrConfig#classify()}): close it. Thread-safe for concurrent {@link #read} and {@link #readTimed} calls (ONNX Runtime sessions are).
 */
public final class OcrEngine implements AutoCloseable {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  /** The orientation classifier's input height and width (PaddleOCR's cls_image_shape 3,48,192). */
  static final int CLS_HEIGHT = 48;
  static final int CLS_WIDTH = 192;

  private final OcrConfig config;
  private final OrtSessions.Opened detector;
  private final OrtSessions.Opened recognizer;
  private final String detInput;
  private final String recInput;
  private final CtcDecoder decoder;
  private final OrtSessions.@Nullable Opened classifier;
  private final @Nullable String clsInput;

  private OcrEngine(final OcrConfig config, final OrtSessions.Opened detector, final OrtSessions.Opened recognizer,
      final String detInput, final String recInput, final CtcDecoder decoder,
      final OrtSessions.@Nullable Opened classifier, final @Nullable String clsInput) {
    this.config = config;
    this.detector = detector;
    this.recognizer = recognizer;
    this.detInput = detInput;
    this.recInput = recInput;
    this.decoder = decoder;
    this.classifier = classifier;
    this.clsInput = clsInput;
  }

  /**
   * Opens and checks the models: detector and recogniser, and the orientation classifier when
   * {@link OcrConfig#classify()} is on (it is not opened otherwise, even when {@code models} names one).
   *
   * @throws EncoderException a missing dictionary or model (a classifier that {@code classify} needs
   *     included), or a model whose inputs or outputs are not those of a PP-OCR detector / recogniser /
   *     orientation classifier (naming the file and what it has)
   */
  public static OcrEngine open(final OcrModels models, final OcrConfig config, final RuntimeOptions runtime) {
    final CtcDecoder decoder;
    try {
      decoder = CtcDecoder.read(models.dictionary());
    } catch (final IOException e) {
      throw new EncoderException(e.getMessage(), e);
    }
    final OrtSessions.Opened det = OrtSessions.open(models.detector(), runtime);
    OrtSessions.Opened rec = null;
    OrtSessions.Opened cls = null;
    try {
      final String detIn = check(det.session(), models.detector().toString(), "detector", 4);
      rec = OrtSessions.open(models.recognizer(), runtime);
      final String recIn = check(rec.session(), models.recognizer().toString(), "recogniser", 3);
      final long classes = outputShape(rec.session())[2];
      if (classes > 0 && classes != decoder.classes()) {
        throw new EncoderException("recogniser " + models.recognizer() + " has " + classes + " classes but dictionary "
            + models.dictionary() + " gives " + decoder.classes() + " (blank + " + (decoder.classes() - 2)
            + " characters + space): use the dictionary the model was trained with");
      }
      String clsIn = null;
      if (config.classify()) {
        final Path file = models.classifier();
        if (file == null || !Files.isRegularFile(file)) {
          throw new EncoderException("OCR orientation classification is on but there is no classifier"
              + (file == null ? " in the models" : ": " + file + " not found") + ": put " + OcrModels.CLASSIFIER
              + " next to the other models (or name it as \"classifier\" in " + OcrModels.MANIFEST
              + "), or turn classification off");
        }
        cls = OrtSessions.open(file, runtime);
        clsIn = checkClassifier(cls.session(), file.toString());
      }
      return new OcrEngine(config, det, rec, detIn, recIn, decoder, cls, clsIn);
    } catch (final RuntimeException e) {
      det.close();
      if (rec != null) {
        rec.close();
      }
      if (cls != null) {
        cls.close();
      }
      throw e;
    }
  }

  /** The classifier's input name, after checking it takes [N,3,48,192] and gives [N,2]. */
  private static String checkClassifier(final OrtSession s, final String file) {
    final String in = check(s, file, "orientation classifier", 2);
    final long[] out = outputShape(s);
    if (out[1] != 2) {
      throw new EncoderException(file + " is not a PP-OCR orientation classifier: its output is "
          + java.util.Arrays.toString(out) + ", expected [N,2] (upright, rotated 180)");
    }
    try {
      final long[] shape = ((TensorInfo) s.getInputInfo().get(in).getInfo()).getShape();
      if ((shape[2] > 0 && shape[2] != CLS_HEIGHT) || (shape[3] > 0 && shape[3] != CLS_WIDTH)) {
        throw new EncoderException(file + " is not a PP-OCR orientation classifier of the expected size: it takes "
            + java.util.Arrays.toString(shape) + ", expected [N,3," + CLS_HEIGHT + "," + CLS_WIDTH + "]");
      }
    } catch (final OrtException e) {
      throw new EncoderException("cannot read the signature of " + file + ": " + e.getMessage(), e);
    }
    return in;
  }

  /** The single image input's name, after checking input and output ranks. */
  private static String check(final OrtSession s, final String file, final String kind, final int outRank) {
    try {
      final Map<String, NodeInfo> in = s.getInputInfo();
      if (in.size() != 1 || !(in.values().iterator().next().getInfo() instanceof TensorInfo t)
          || t.getShape().length != 4 || (t.getShape()[1] != 3 && t.getShape()[1] != -1)) {
        throw new EncoderException(file + " is not a PP-OCR " + kind + ": it takes " + in.keySet() + " "
            + describe(in) + ", not one float image [N,3,H,W]");
      }
      final long[] out = outputShape(s);
      if (out.length != outRank) {
        throw new EncoderException(file + " is not a PP-OCR " + kind + ": its output has rank " + out.length
            + " (" + java.util.Arrays.toString(out) + "), expected " + outRank
            + (outRank == 4 ? " ([N,1,H,W] text probability)" : outRank == 3
                ? " ([N,T,classes] character probabilities)" : " ([N,2] upright / rotated 180 probabilities)"));
      }
      return in.keySet().iterator().next();
    } catch (final OrtException e) {
      throw new EncoderException("cannot read the signature of " + file + ": " + e.getMessage(), e);
    }
  }

  private static long[] outputShape(final OrtSession s) {
    try {
      final NodeInfo out = s.getOutputInfo().values().iterator().next();
      return out.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    } catch (final OrtException e) {
      throw new EncoderException("cannot read a model's outputs: " + e.getMessage(), e);
    }
  }

  private static String describe(final Map<String, NodeInfo> in) {
    final StringBuilder b = new StringBuilder();
    for (final NodeInfo n : in.values()) {
      b.append(n.getInfo() instanceof TensorInfo t ? java.util.Arrays.toString(t.getShape()) : n.getInfo().toString());
    }
    return b.toString();
  }

  /** The text lines of a packed RGB24 frame, top to bottom; empty when it shows no text. */
  public List<TextLine> read(final int width, final int height, final byte[] rgb) {
    return readTimed(width, height, rgb).lines();
  }

  /**
   * As {@link #read}, with the time detection and recognition took and the number of crops recognised. With
   * {@link OcrConfig#classify()} the orientation classifier's time is part of {@link OcrReading#recognizeNanos()}.
   */
  public OcrReading readTimed(final int width, final int height, final byte[] rgb) {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException("frame of " + rgb.length + " bytes is not " + width + "x" + height + " RGB24");
    }
    final long t0 = System.nanoTime();
    final List<TextBox> boxes = detect(width, height, rgb);
    final long t1 = System.nanoTime();
    final boolean[] turned = classifier == null || boxes.isEmpty() ? null : classify(width, height, rgb, boxes);
    final List<TextLine> lines = recognize(width, height, rgb, boxes, turned);
    return new OcrReading(lines, t1 - t0, System.nanoTime() - t1, boxes.size());
  }

  /** Text boxes of a packed RGB24 frame, in frame pixels. */
  public List<TextBox> detect(final int width, final int height, final byte[] rgb) {
    final double scale = Math.min(1.0, (double) config.maxSide() / Math.max(width, height));
    final int mw = Math.max(32, (int) Math.round(width * scale / 32) * 32);
    final int mh = Math.max(32, (int) Math.round(height * scale / 32) * 32);
    final float[] chw = new float[3 * mh * mw];
    resizeInto(rgb, width, height, 0, 0, width, height, chw, 0, mw, mh, mw, (v, c) -> (v / 255f - MEAN[c]) / STD[c]);
    final float[] prob = run(detector.session(), detInput, chw, new long[] {1, 3, mh, mw});
    return DbPostprocessor.boxes(prob, mw, mh, width, height, config);
  }

  /** Which boxes the classifier finds turned 180 degrees with at least the configured probability. */
  private boolean[] classify(final int width, final int height, final byte[] rgb, final List<TextBox> boxes) {
    final boolean[] turned = new boolean[boxes.size()];
    final OrtSession s = java.util.Objects.requireNonNull(classifier).session();
    for (int from = 0; from < boxes.size(); from += config.batchSize()) {
      final int to = Math.min(boxes.size(), from + config.batchSize());
      final float[] input = clsInput(rgb, width, height, boxes.subList(from, to));
      final OutputAndShape out = runWithShape(s, java.util.Objects.requireNonNull(clsInput), input,
          new long[] {to - from, 3, CLS_HEIGHT, CLS_WIDTH});
      for (int b = 0; b < to - from; b++) {
        final float upright = out.values[2 * b];
        final float rotated = out.values[2 * b + 1];
        turned[from + b] = rotated > upright && rotated >= config.classifyThreshold();
      }
    }
    return turned;
  }

  /**
   * The classifier's input for {@code boxes}: [N,3,48,192], each crop at height 48 and width
   * min(192, ceil(48 * aspect)), normalised to [-1,1], the columns right of it 0 (PaddleOCR's ClsPreProcess).
   */
  static float[] clsInput(final byte[] rgb, final int width, final int height, final List<TextBox> boxes) {
    final int size = 3 * CLS_HEIGHT * CLS_WIDTH;
    final float[] input = new float[boxes.size() * size];
    for (int b = 0; b < boxes.size(); b++) {
      final TextBox box = boxes.get(b);
      resizeInto(rgb, width, height, box.x0(), box.y0(), box.width(), box.height(), input, b * size,
          clsWidth(box), CLS_HEIGHT, CLS_WIDTH, TO_SIGNED);
    }
    return input;
  }

  /** The width a box is resized to for the classifier: its aspect at height 48, at most 192. */
  static int clsWidth(final TextBox box) {
    return Math.max(1, Math.min(CLS_WIDTH, (int) Math.ceil((double) CLS_HEIGHT * box.width() / box.height())));
  }

  /** The box's pixels turned 180 degrees, as a packed RGB image of box.width() x box.height(). */
  static byte[] turned(final byte[] rgb, final int width, final TextBox box) {
    final int w = box.width();
    final int h = box.height();
    final byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        final int src = ((box.y0() + y) * width + box.x0() + x) * 3;
        final int dst = ((h - 1 - y) * w + (w - 1 - x)) * 3;
        out[dst] = rgb[src];
        out[dst + 1] = rgb[src + 1];
        out[dst + 2] = rgb[src + 2];
      }
    }
    return out;
  }

  private List<TextLine> recognize(final int width, final int height, final byte[] rgb, final List<TextBox> boxes,
      final boolean @Nullable [] turned) {
    final int h = config.recHeight();
    final List<Integer> order = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(i -> (double) boxes.get(i).width() / boxes.get(i).height()));
    final TextLine[] lines = new TextLine[boxes.size()];
    for (int from = 0; from < order.size(); from += config.batchSize()) {
      final List<Integer> batch = order.subList(from, Math.min(order.size(), from + config.batchSize()));
      final int[] widths = new int[batch.size()];
      int maxW = 1;
      for (int b = 0; b < batch.size(); b++) {
        final TextBox box = boxes.get(batch.get(b));
        widths[b] = Math.max(1, Math.min(config.recMaxWidth(), (int) Math.ceil((double) h * box.width() / box.height())));
        maxW = Math.max(maxW, widths[b]);
      }
      // Padding is 0 after normalisation: mid grey, as PaddleOCR pads.
      final float[] input = new float[batch.size() * 3 * h * maxW];
      for (int b = 0; b < batch.size(); b++) {
        final TextBox box = boxes.get(batch.get(b));
        if (turned != null && turned[batch.get(b)]) {
          resizeInto(turned(rgb, width, box), box.width(), box.height(), 0, 0, box.width(), box.height(), input,
              b * 3 * h * maxW, widths[b], h, maxW, TO_SIGNED);
        } else {
          resizeInto(rgb, width, height, box.x0(), box.y0(), box.width(), box.height(), input, b * 3 * h * maxW,
              widths[b], h, maxW, TO_SIGNED);
        }
      }
      final long[] shape = {batch.size(), 3, h, maxW};
      final OutputAndShape out = runWithShape(recognizer.session(), recInput, input, shape);
      final int steps = (int) out.shape[1];
      final int classes = (int) out.shape[2];
      if (classes != decoder.classes()) {
        throw new EncoderException("recogniser gave " + classes + " classes, the dictionary has " + decoder.classes());
      }
      for (int b = 0; b < batch.size(); b++) {
        final CtcDecoder.Decoded d = decoder.decode(out.values, b * steps * classes, steps);
        lines[batch.get(b)] = new TextLine(d.text(), d.confidence(), boxes.get(batch.get(b)));
      }
    }
    final List<TextLine> kept = new ArrayList<>();
    for (final TextLine l : lines) {
      if (!l.text().isEmpty() && l.confidence() >= config.minConfidence()) {
        kept.add(l);
      }
    }
    return kept;
  }

  /** Normalises one 0-255 channel value of channel c. */
  private interface Norm {
    float apply(float value, int channel);
  }

  /** Recognition's and the classifier's normalisation: 0-255 to [-1, 1], (x/255 - 0.5)/0.5. */
  private static final Norm TO_SIGNED = (v, c) -> (v / 255f - 0.5f) / 0.5f;

  /**
   * Bilinear resize of the region (x, y, w, h) of a packed RGB frame to outW x outH, written channels
   * first into {@code dst} from {@code offset}, rows {@code rowW} wide (rowW >= outW: the rest stays 0).
   */
  private static void resizeInto(final byte[] rgb, final int width, final int height, final int x, final int y,
      final int w, final int h, final float[] dst, final int offset, final int outW, final int outH, final int rowW,
      final Norm norm) {
    final int plane = outH * rowW;
    final double fx = (double) w / outW;
    final double fy = (double) h / outH;
    for (int oy = 0; oy < outH; oy++) {
      final double sy = Math.max(0, Math.min(h - 1, (oy + 0.5) * fy - 0.5));
      final int y0 = (int) sy;
      final int y1 = Math.min(h - 1, y0 + 1);
      final double ay = sy - y0;
      for (int ox = 0; ox < outW; ox++) {
        final double sx = Math.max(0, Math.min(w - 1, (ox + 0.5) * fx - 0.5));
        final int x0 = (int) sx;
        final int x1 = Math.min(w - 1, x0 + 1);
        final double ax = sx - x0;
        final int p00 = ((y + y0) * width + x + x0) * 3;
        final int p01 = ((y + y0) * width + x + x1) * 3;
        final int p10 = ((y + y1) * width + x + x0) * 3;
        final int p11 = ((y + y1) * width + x + x1) * 3;
        for (int c = 0; c < 3; c++) {
          final double top = (rgb[p00 + c] & 0xff) * (1 - ax) + (rgb[p01 + c] & 0xff) * ax;
          final double bottom = (rgb[p10 + c] & 0xff) * (1 - ax) + (rgb[p11 + c] & 0xff) * ax;
          dst[offset + c * plane + oy * rowW + ox] = norm.apply((float) (top * (1 - ay) + bottom * ay), c);
        }
      }
    }
  }

  private record OutputAndShape(float[] values, long[] shape) {}

  private static float[] run(final OrtSession s, final String input, final float[] data, final long[] shape) {
    return runWithShape(s, input, data, shape).values;
  }

  private static OutputAndShape runWithShape(final OrtSession s, final String input, final float[] data,
      final long[] shape) {
    try (OnnxTensor t = OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(data), shape);
        OrtSession.Result r = s.run(Map.of(input, t))) {
      final OnnxTensor out = (OnnxTensor) r.get(0);
      final FloatBuffer fb = out.getFloatBuffer();
      final float[] values = new float[fb.remaining()];
      fb.get(values);
      return new OutputAndShape(values, out.getInfo().getShape());
    } catch (final OrtException e) {
      throw new EncoderException("OCR inference failed on input " + java.util.Arrays.toString(shape) + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    detector.close();
    recognizer.close();
    if (classifier != null) {
      classifier.close();
    }
  }
}
