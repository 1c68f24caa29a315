package io.vidctx.qa.eval.bench;

import static io.vidctx.qa.eval.JsonKinds.describe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a benchmark file with typed field access whose errors say where they are:
 * {@code MLVU json/4_count.json entry 12 (video 'abc.mp4'): missing field 'candidates'}. Strings come
 * back stripped; a mistyped field is an error rather than a guess.
 *
 * @param where the entry's location, used as the prefix of every message
 * @param node the entry, a JSON object
 */
record Entry(String where, JsonNode node) {

  /**
   * The {@code index}-th entry of {@code source}, named in messages by its {@code idField} when it
   * has a scalar one.
   *
   * @throws BenchmarkException the entry is not an object
   */
  static Entry of(final String source, final int index, final JsonNode node, final String idField) {
    final JsonNode id = node.isObject() ? node.get(idField) : null;
    final String where = source + " entry " + index
        + (id != null && id.isValueNode() && !id.isNull() ? " (" + idField + " '" + id.asText() + "')" : "");
    if (!node.isObject()) {
      throw new BenchmarkException(where + ": expected an object {...}, was " + describe(node));
    }
    return new Entry(where, node);
  }

  BenchmarkException bad(final String problem) {
    return new BenchmarkException(where + ": " + problem);
  }

  /** The field's value; null when absent or JSON null. */
  @Nullable JsonNode get(final String name) {
    final JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  JsonNode require(final String name) {
    final JsonNode v = get(name);
    if (v == null) {
      throw bad("missing field '" + name + "'");
    }
    return v;
  }

  /** A string field, stripped; not blank. */
  String text(final String name) {
    final JsonNode v = require(name);
    if (!v.isTextual()) {
      throw bad("field '" + name + "' must be a string, was " + describe(v));
    }
    final String s = v.textValue().strip();
    if (s.isEmpty()) {
      throw bad("field '" + name + "' is blank");
    }
    return s;
  }

  /** An identifier: a string or an integer, as text. */
  String key(final String name) {
    final JsonNode v = require(name);
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    return text(name);
  }

  int integer(final String name) {
    final JsonNode v = require(name);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw bad("field '" + name + "' must be an integer, was " + describe(v));
    }
    return v.intValue();
  }

  /** An integer written as text (a CSV cell). */
  int integerText(final String name) {
    final String s = text(name);
    try {
      return Integer.parseInt(s);
    } catch (final NumberFormatException e) {
      throw bad("field '" + name + "' must be an integer, was '" + s + "'");
    }
  }

  double number(final String name) {
    final JsonNode v = require(name);
    if (!v.isNumber()) {
      throw bad("field '" + name + "' must be a number, was " + describe(v));
    }
    return v.doubleValue();
  }

  /** A list of strings, each stripped and not blank; at least two (a choice needs a choice). */
  List<String> texts(final String name) {
    final JsonNode v = require(name);
    if (!v.isArray()) {
      throw bad("field '" + name + "' must be a list of strings, was " + describe(v));
    }
    final List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      final JsonNode x = v.get(i);
      if (!x.isTextual() || x.textValue().isBlank()) {
        throw bad("field '" + name + "' item " + i + " must be a non-blank string, was " + describe(x));
      }
      out.add(x.textValue().strip());
    }
    if (out.size() < 2) {
      throw bad("field '" + name + "' has " + out.size() + " item(s); a multiple-choice question needs at least 2");
    }
    return out;
  }

  /**
   * Copies the field into {@code meta} under its name when present: scalars as their text (whole
   * numbers without ".0"), lists and objects as compact JSON.
   */
  void copyTo(final Map<String, String> meta, final String name) {
    final JsonNode v = get(name);
    if (v != null) {
      meta.put(name, text(v));
    }
  }

  static String text(final JsonNode v) {
    if (v.isTextual()) {
      return v.textValue().strip();
    }
    if (v.isNumber()) {
      return v.isIntegralNumber() ? v.asText() : v.decimalValue().stripTrailingZeros().toPlainString();
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

}
