package io.vidctx.samples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** JSON output of the commands (Jackson; records serialize by their components). */
public final class Json {
  private Json() {}

  /** A fresh, pretty-printing mapper. */
  public static ObjectMapper mapper() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Writes {@code value} as pretty JSON plus a newline. */
  public static void print(final PrintWriter out, final Object value) {
    try {
      out.println(mapper().writeValueAsString(value));
      out.flush();
    } catch (final JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
