package io.vidctx.qa.eval.run;

import io.vidctx.encoder.ocr.OcrEngine;
import io.vidctx.encoder.ocr.OcrPass;
import io.vidctx.encoder.ocr.OcrReading;
import io.vidctx.encoder.ocr.OcrSchedule;
import io.vidctx.encoder.ocr.TextBox;
import io.vidctx.encoder.ocr.TextLine;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.encoder.ocr.Thumbnail;
import io.vidctx.qa.eval.EvalFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/*
 * Why every frame is read once: the evaluation splices needles into cached haystacks, and the OCR
 * schedule depends on what came before (a frame is compared with the last one read), so which
 * haystack frames a needled stream reads differs from the plain haystack's around the needle. With
 * each frame's thumbnail and reading cached, a schedule replayed over the spliced list reads exactly
 * what a live pass over the needled stream would, and is charged only the OCR time of the frames it
 * read.
 */
/** Per-frame OCR readings of a stream (thumbnail, lines, time taken) and the schedule replayed over them. */
final class FrameTexts {
  private static final int MAGIC = 0x564f4352; // "VOCR"
  private static final byte VERSION = 1;

  private FrameTexts() {}

  /** One frame: its thumbnail, what OCR read in it, and how long the reading took. */
  record FrameText(Thumbnail thumbnail, List<TextLine> lines, long nanos) {
    FrameText {
      lines = List.copyOf(lines);
    }

    static FrameText read(final OcrEngine engine, final int width, final int height, final byte[] rgb) {
      final OcrReading r = engine.readTimed(width, height, rgb);
      return new FrameText(Thumbnail.of(width, height, rgb), r.lines(), r.detectNanos() + r.recognizeNanos());
    }
  }

  /** The text tokens of a replay, the frames it read and their OCR time. */
  record Replayed(List<TextToken> tokens, long read, long nanos) {}

  /**
   * Replays {@code schedule} over the frames at times {@code pts} (same order and length): the tokens a
   * live pass would make, and the OCR time of the frames it would read.
   */
  static Replayed replay(final List<FrameText> frames, final List<Long> pts, final OcrSchedule.Config schedule) {
    if (frames.size() != pts.size()) {
      throw new IllegalArgumentException(frames.size() + " frame readings for " + pts.size() + " frame times");
    }
    final OcrPass pass = new OcrPass(schedule);
    long nanos = 0;
    for (int k = 0; k < frames.size(); k++) {
      final FrameText f = frames.get(k);
      if (pass.accept(pts.get(k), f.thumbnail(), f::lines)) {
        nanos += f.nanos();
      }
    }
    return new Replayed(pass.finish(), pass.read(), nanos);
  }

  static void write(final Path file, final List<FrameText> frames) throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeInt(frames.size());
      for (final FrameText f : frames) {
        out.write(f.thumbnail().toBytes());
        out.writeLong(f.nanos());
        out.writeInt(f.lines().size());
        for (final TextLine l : f.lines()) {
          out.writeUTF(l.text());
          out.writeFloat(l.confidence());
          final TextBox b = l.box();
          out.writeInt(b.x0());
          out.writeInt(b.y0());
          out.writeInt(b.x1());
          out.writeInt(b.y1());
          out.writeFloat(b.score());
        }
      }
    }
    EvalFiles.writeAtomically(file, bytes.toByteArray());
  }

  /**
   * Reads a file written by {@link #write}.
   *
   * @throws IOException when it is truncated, corrupt or of another version
   */
  static List<FrameText> read(final Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readByte() != VERSION) {
        throw new IOException(file + " is not a version-" + VERSION + " OCR readings file");
      }
      final int n = in.readInt();
      if (n < 0 || n > 1 << 24) {
        throw new IOException(file + ": corrupt frame count " + n);
      }
      final List<FrameText> out = new ArrayList<>(n);
      final byte[] thumb = new byte[Thumbnail.SIZE];
      for (int k = 0; k < n; k++) {
        in.readFully(thumb);
        final long nanos = in.readLong();
        final int lines = in.readInt();
        if (lines < 0 || lines > 1 << 16) {
          throw new IOException(file + ": corrupt line count " + lines + " in frame " + k);
        }
        final List<TextLine> ls = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
          final String text = in.readUTF();
          final float conf = in.readFloat();
          ls.add(new TextLine(text, conf, new TextBox(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
              in.readFloat())));
        }
        out.add(new FrameText(Thumbnail.fromBytes(thumb), ls, nanos));
      }
      return out;
    } catch (final IllegalArgumentException e) {
      throw new IOException(file + ": corrupt OCR readings (" + e.getMessage() + ")", e);
    }
  }
}
