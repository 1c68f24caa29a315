package io.vidctx.qa.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How error messages about manifests and benchmark files describe a JSON value that is not what was expected. */
public final class JsonKinds {
  private JsonKinds() {}

  /** "a list", "an object", "the string 'x'", "the number 3", "true", "null", or "nothing" when absent. */
  public static String describe(final @Nullable JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "the string '" + node.textValue() + "'";
      case NUMBER -> "the number " + node.asText();
      case BOOLEAN -> node.asText();
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
