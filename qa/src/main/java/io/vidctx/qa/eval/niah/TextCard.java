package io.vidctx.qa.eval.niah;

import io.vidctx.ingest.image.DecodedImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * A rendered text card: a short text in large type on a plain background, the kind of title card,
 * slide or sign a question about on-screen text points at. Rendered with Java2D's logical fonts
 * (mapped to the system's fonts by the runtime, DejaVu on Debian), so no font file ships with us.
 *
 * @param text the card's text; one line, not blank
 * @param caption a smaller line above it ("CODE", "ROOM"), or empty
 * @param font logical font family: {@code SansSerif}, {@code Serif} or {@code Monospaced}
 * @param bold whether the text is bold
 * @param size text height as a share of the card's height, in [0.05, 0.6]
 * @param background background colour, 0xRRGGBB
 * @param foreground text colour, 0xRRGGBB
 */
public record TextCard(String text, String caption, String font, boolean bold, double size, int background,
    int foreground) {

  /** The font families cards cycle through. */
  public static final List<String> FONTS = List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED);

  public TextCard {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(caption, "caption");
    Objects.requireNonNull(font, "font");
    if (text.isBlank() || text.contains("\n")) {
      throw new IllegalArgumentException("a card's text is one non-blank line, was '" + text + "'");
    }
    if (!FONTS.contains(font)) {
      throw new IllegalArgumentException("font must be one of " + FONTS + ", was " + font);
    }
    if (!(size >= 0.05 && size <= 0.6)) {
      throw new IllegalArgumentException("text size must be in [0.05, 0.6] of the card height, was " + size);
    }
  }

  /**
   * The card as a picture of {@code width x height}. The text is shrunk to fit 90 % of the width when
   * it would not, so a long text never runs off the card.
   */
  public DecodedImage render(final int width, final int height) {
    if (width < 16 || height < 16) {
      throw new IllegalArgumentException("a card needs at least 16x16 pixels, was " + width + "x" + height);
    }
    final BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    final Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(background));
      g.fillRect(0, 0, width, height);
      final Font main = fit(g, new Font(font, bold ? Font.BOLD : Font.PLAIN, Math.max(8, (int) (size * height))),
          text, width);
      g.setColor(new Color(foreground));
      g.setFont(main);
      final FontMetrics fm = g.getFontMetrics();
      final int textY = (height + fm.getAscent() - fm.getDescent()) / 2;
      g.drawString(text, (width - fm.stringWidth(text)) / 2, textY);
      if (!caption.isEmpty()) {
        final Font small = fit(g, new Font(font, Font.PLAIN, Math.max(8, main.getSize() / 3)), caption, width);
        g.setFont(small);
        final FontMetrics sm = g.getFontMetrics();
        g.drawString(caption, (width - sm.stringWidth(caption)) / 2, textY - fm.getAscent() - sm.getDescent() - 4);
      }
    } finally {
      g.dispose();
    }
    final byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    final byte[] rgb = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 1] = bgr[i + 1];
      rgb[i + 2] = bgr[i];
    }
    return new DecodedImage(width, height, rgb);
  }

  private static Font fit(final Graphics2D g, final Font f, final String s, final int width) {
    final int w = g.getFontMetrics(f).stringWidth(s);
    final int room = (int) (width * 0.9);
    return w <= room ? f : f.deriveFont((float) Math.max(6, f.getSize2D() * room / w));
  }
}
