package io.vidctx.qa.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * numpy reads the header with ast.literal_eval, so any Python literal spelling is valid: either
 * quote, keys in any order, a trailing comma or none, any whitespace, Python 2's "3L". A small
 * recursive-descent parser of that literal subset (strings, ints, True/False/None, tuples, lists,
 * dicts) accepts all of them; checking the keys and their types comes after parsing, so a wrong
 * header gets a message about its meaning rather than about a regex that did not match.
 */

/** The parsed header dict of a {@code .npy} file: its descr (either byte order) and C-order shape. */
record NpyHeader(String descr, int[] shape, long elements) {

  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  /** How much of a bad header a message quotes. */
  private static final int QUOTED_CHARS = 200;

  /**
   * Parses and checks a header.
   *
   * @param source the file, for messages
   * @throws IOException when the header is not a Python dict literal with exactly the keys descr (a
   *     supported type), fortran_order (False) and shape (a tuple of non-negative ints)
   */
  static NpyHeader parse(final String text, final String source) throws IOException {
    final Parser parser = new Parser(text, source);
    final Map<String, Object> dict = parser.header();
    for (final String key : dict.keySet()) {
      if (!KEYS.contains(key)) {
        throw parser.invalid("unexpected key " + repr(key) + " in the header (a .npy header has exactly descr, "
            + "fortran_order and shape)");
      }
    }
    for (final String key : KEYS) {
      if (!dict.containsKey(key)) {
        throw parser.invalid("the header has no '" + key + "' key (a .npy header has descr, fortran_order and shape)");
      }
    }
    final Object descr = dict.get("descr");
    if (descr instanceof Seq) {
      throw parser.invalid("structured dtypes (a list as descr) are not supported; expected " + NpyFile.SUPPORTED);
    }
    if (!(descr instanceof String) || NpyFile.itemSize((String) descr) < 0) {
      throw parser.invalid("unsupported dtype descr " + repr(descr) + "; expected " + NpyFile.SUPPORTED);
    }
    final Object fortran = dict.get("fortran_order");
    if (!(fortran instanceof Boolean)) {
      throw parser.invalid("fortran_order must be True or False, was " + repr(fortran));
    }
    if ((Boolean) fortran) {
      throw parser.invalid("fortran_order is True (column-major data), which this reader does not support; "
          + "save a C-order array instead (numpy.ascontiguousarray)");
    }
    final Object shapeValue = dict.get("shape");
    if (!(shapeValue instanceof Seq) || !((Seq) shapeValue).tuple()) {
      throw parser.invalid("shape must be a tuple such as (3,) or (3, 4), was " + repr(shapeValue));
    }
    final List<Object> dims = ((Seq) shapeValue).items();
    final int[] shape = new int[dims.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      final Object dim = dims.get(i);
      if (!(dim instanceof Long) || (Long) dim < 0 || (Long) dim > Integer.MAX_VALUE) {
        throw parser.invalid("shape dimensions must be ints in 0.." + Integer.MAX_VALUE + ", was " + repr(shapeValue));
      }
      shape[i] = (int) (long) (Long) dim;
      try {
        elements = Math.multiplyExact(elements, shape[i]);
      } catch (final ArithmeticException e) {
        throw parser.invalid("shape " + repr(shapeValue) + " has more values than a long counts");
      }
    }
    return new NpyHeader((String) descr, shape, elements);
  }

  /** A Python tuple ({@code tuple} true) or list. */
  private record Seq(boolean tuple, List<Object> items) {}

  /** Python's None. */
  private enum None { NONE }

  private static String repr(final Object value) {
    if (value instanceof String) {
      return "'" + value + "'";
    }
    if (value instanceof Boolean) {
      return (Boolean) value ? "True" : "False";
    }
    if (value instanceof Seq) {
      final Seq seq = (Seq) value;
      final StringBuilder sb = new StringBuilder(seq.tuple() ? "(" : "[");
      for (int i = 0; i < seq.items().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(repr(seq.items().get(i)));
      }
      if (seq.tuple() && seq.items().size() == 1) {
        sb.append(',');
      }
      return sb.append(seq.tuple() ? ")" : "]").toString();
    }
    if (value == None.NONE) {
      return "None";
    }
    return String.valueOf(value);
  }

  private static final class Parser {
    private final String text;
    private final String source;
    private int pos;

    Parser(final String text, final String source) {
      this.text = text;
      this.source = source;
    }

    /** The top-level dict; only whitespace (the padding and the final '\n') may follow it. */
    Map<String, Object> header() throws IOException {
      skipSpace();
      if (!peek('{')) {
        throw malformed("expected the header to start with '{'");
      }
      final Map<String, Object> dict = dict();
      skipSpace();
      if (pos < text.length()) {
        throw malformed("unexpected text after the closing '}'");
      }
      return dict;
    }

    private Map<String, Object> dict() throws IOException {
      pos++;
      final Map<String, Object> dict = new LinkedHashMap<>();
      while (true) {
        skipSpace();
        if (peek('}')) {
          pos++;
          return dict;
        }
        final int keyAt = pos;
        final Object key = value();
        if (!(key instanceof String)) {
          pos = keyAt;
          throw malformed("expected a quoted key");
        }
        skipSpace();
        expect(':', "after the key " + repr(key));
        if (dict.put((String) key, value()) != null) {
          throw invalid("the key " + repr(key) + " appears twice in the header");
        }
        if (!separator('}')) {
          throw malformed("expected ',' or '}' after the value of " + repr(key));
        }
      }
    }

    /** Tuple, list or parenthesised value, after its opening bracket. */
    private Object sequence(final char close) throws IOException {
      pos++;
      final List<Object> items = new ArrayList<>();
      boolean comma = false;
      while (true) {
        skipSpace();
        if (peek(close)) {
          pos++;
          // "(3)" is the int 3 in Python; only a comma makes a one-element tuple.
          return close == ')' && items.size() == 1 && !comma ? items.get(0) : new Seq(close == ')', items);
        }
        items.add(value());
        skipSpace();
        comma = peek(',');
        if (comma) {
          pos++;
        } else if (!peek(close)) {
          throw malformed("expected ',' or '" + close + "'");
        }
      }
    }

    /** Skips space and one ',' if present; true when a ',' was there or {@code close} follows. */
    private boolean separator(final char close) {
      skipSpace();
      if (peek(',')) {
        pos++;
        return true;
      }
      return peek(close);
    }

    private Object value() throws IOException {
      skipSpace();
      if (pos >= text.length()) {
        throw malformed("the header ends where a value should be");
      }
      final char c = text.charAt(pos);
      if (c == '\'' || c == '"') {
        return string(c);
      }
      if (c == '(') {
        return sequence(')');
      }
      if (c == '[') {
        return sequence(']');
      }
      if (c == '{') {
        return dict();
      }
      if (c == '-' || c == '+' || Character.isDigit(c)) {
        return integer();
      }
      if (Character.isLetter(c) || c == '_') {
        final int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
          pos++;
        }
        final String name = text.substring(start, pos);
        switch (name) {
          case "True":
            return Boolean.TRUE;
          case "False":
            return Boolean.FALSE;
          case "None":
            return None.NONE;
          default:
            pos = start;
            throw malformed("unexpected name '" + name + "'");
        }
      }
      throw malformed("unexpected character '" + c + "'");
    }

    private String string(final char quote) throws IOException {
      final int start = pos++;
      final StringBuilder sb = new StringBuilder();
      while (pos < text.length() && text.charAt(pos) != quote) {
        // A descr never needs escapes; taking the next character literally covers \' \" and \\.
        if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
          pos++;
        }
        sb.append(text.charAt(pos++));
      }
      if (pos >= text.length()) {
        pos = start;
        throw malformed("unterminated string");
      }
      pos++;
      return sb.toString();
    }

    private Long integer() throws IOException {
      final int start = pos;
      if (peek('-') || peek('+')) {
        pos++;
        skipSpace();
      }
      final int digits = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == digits) {
        throw malformed("expected digits");
      }
      final String number = text.substring(digits, pos);
      if (peek('L') || peek('l')) {
        pos++; // Python 2 wrote long ints as 3L.
      }
      try {
        final long magnitude = Long.parseLong(number);
        return text.charAt(start) == '-' ? -magnitude : magnitude;
      } catch (final NumberFormatException e) {
        pos = start;
        throw malformed("number " + number + " is too large");
      }
    }

    private void expect(final char c, final String where) throws IOException {
      if (!peek(c)) {
        throw malformed("expected '" + c + "' " + where);
      }
      pos++;
    }

    private boolean peek(final char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
      while (pos < text.length() && " \t\n\r\f".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
    }

    IOException malformed(final String what) {
      return new IOException(source + ": malformed .npy header: " + what + " at character " + pos + " of "
          + quoted());
    }

    IOException invalid(final String what) {
      return new IOException(source + ": " + what + "; header: " + quoted());
    }

    private String quoted() {
      final String t = text.strip();
      return t.length() <= QUOTED_CHARS ? t : t.substring(0, QUOTED_CHARS) + "...";
    }
  }
}
