package io.vidctx.encoder.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * CLIP's text cleaning, in the order of OpenAI's tokenizer: ftfy.fix_text, html.unescape twice,
 * strip, collapse whitespace, strip, lower-case.
 *
 * ftfy is approximated by the parts of its default fix_text that change ordinary queries: NFC
 * normalisation, straight quotes for curly ones ("don’t" must tokenize like "don't"), Latin
 * ligatures split, full-width ASCII to ASCII and removal of the control characters ftfy removes.
 * Mojibake repair is not attempted: Java strings arrive decoded.
 *
 * html.unescape is approximated by numeric references (decimal and hex, with or without ';') and a
 * small table of named entities; Python also accepts a few legacy names without ';' ("&amp" in
 * "&ampx"), which the table's LEGACY subset reproduces.
 */
final class TextCleaner {
  private static final Pattern ENTITY =
      Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Map<String, String> NAMED = Map.ofEntries(
      Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
      Map.entry("apos", "'"), Map.entry("nbsp", "\u00a0"), Map.entry("copy", "\u00a9"), Map.entry("reg", "\u00ae"),
      Map.entry("trade", "\u2122"), Map.entry("hellip", "\u2026"), Map.entry("mdash", "\u2014"),
      Map.entry("ndash", "\u2013"), Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"),
      Map.entry("ldquo", "\u201c"), Map.entry("rdquo", "\u201d"), Map.entry("laquo", "\u00ab"),
      Map.entry("raquo", "\u00bb"), Map.entry("deg", "\u00b0"), Map.entry("times", "\u00d7"),
      Map.entry("eacute", "\u00e9"), Map.entry("egrave", "\u00e8"), Map.entry("agrave", "\u00e0"),
      Map.entry("uuml", "\u00fc"), Map.entry("ouml", "\u00f6"), Map.entry("auml", "\u00e4"),
      Map.entry("ccedil", "\u00e7"), Map.entry("ntilde", "\u00f1"), Map.entry("szlig", "\u00df"),
      Map.entry("euro", "\u20ac"), Map.entry("pound", "\u00a3"), Map.entry("cent", "\u00a2"),
      Map.entry("yen", "\u00a5"), Map.entry("sect", "\u00a7"), Map.entry("middot", "\u00b7"),
      Map.entry("bull", "\u2022"));
  /** Names Python's html.unescape also replaces without a trailing ';' (longest prefix wins). */
  private static final String[] LEGACY = {"quot", "nbsp", "copy", "amp", "reg", "lt", "gt"};

  private TextCleaner() {}

  /** The cleaned, lower-cased text that the pre-split regex runs on. */
  static String clean(final String text) {
    String t = fixText(text);
    t = unescapeHtml(unescapeHtml(t));
    t = WHITESPACE.matcher(t.strip()).replaceAll(" ").strip();
    return t.toLowerCase(Locale.ROOT);
  }

  /** The subset of ftfy.fix_text described in the class comment. */
  static String fixText(final String text) {
    final String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    final StringBuilder sb = new StringBuilder(nfc.length());
    for (int i = 0; i < nfc.length(); i++) {
      final char c = nfc.charAt(i);
      if (c == '\u02bc' || (c >= '\u2018' && c <= '\u201b')) {
        sb.append('\'');
      } else if (c >= '\u201c' && c <= '\u201f') {
        sb.append('"');
      } else if (c >= '\uff01' && c <= '\uff5e') {
        sb.append((char) (c - 0xfee0));
      } else if (c == '\u3000') {
        sb.append(' ');
      } else if (c >= '\ufb00' && c <= '\ufb06') {
        sb.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
      } else if (!isRemovedControl(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** ftfy's CONTROL_CHARS: C0 controls other than tab and line breaks, DEL, a few format chars. */
  private static boolean isRemovedControl(final char c) {
    return c < 0x09 || c == 0x0b || (c >= 0x0e && c < 0x20) || c == 0x7f || (c >= 0x206a && c < 0x2070)
        || c == 0xfeff || (c >= 0xfff9 && c < 0xfffd);
  }

  /** One pass of HTML entity decoding. */
  static String unescapeHtml(final String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    final Matcher m = ENTITY.matcher(text);
    final StringBuilder sb = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement(m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String replacement(final String ref) {
    if (ref.charAt(0) == '#') {
      final boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
      final String digits = ref.substring(hex ? 2 : 1, ref.endsWith(";") ? ref.length() - 1 : ref.length());
      return numeric(digits, hex ? 16 : 10);
    }
    if (ref.endsWith(";")) {
      final String named = NAMED.get(ref.substring(0, ref.length() - 1));
      if (named != null) {
        return named;
      }
    }
    for (final String legacy : LEGACY) {
      if (ref.startsWith(legacy)) {
        return NAMED.get(legacy) + ref.substring(legacy.length());
      }
    }
    return "&" + ref;
  }

  /** Python's rules: 0, surrogates and values past U+10FFFF become U+FFFD. */
  private static String numeric(final String digits, final int radix) {
    final int cp;
    try {
      cp = Integer.parseInt(digits, radix);
    } catch (final NumberFormatException e) {
      return "\ufffd";
    }
    if (cp == 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) {
      return "\ufffd";
    }
    return new String(Character.toChars(cp));
  }
}
