package io.vidctx.qa.query;

import io.vidctx.encoder.ocr.TextNormalizer;
import io.vidctx.qa.Question;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * What of a question can match on-screen text: the options of a multiple-choice question (the card
 * says one of them), quoted strings ("after 'GAME OVER'"), and the content words of the text, each
 * on its own so that one word found in a title counts. Question words and function words are
 * dropped: they would match any line of credits. The list is English, like the benchmarks.
 */
/** The phrases a question contributes to lexical matching against on-screen text. */
public final class QueryPhrases {
  private static final Pattern QUOTED = Pattern.compile("[\"“”«»]([^\"“”«»]{1,200})[\"“”«»]|'([^']{2,200})'");
  private static final Set<String> STOP = Set.of(
      "a", "about", "after", "all", "also", "an", "and", "any", "appear", "appears", "appeared", "are", "as", "at",
      "be", "been", "before", "being", "between", "but", "by", "can", "could", "did", "do", "does", "during", "each",
      "for", "from", "had", "has", "have", "how", "in", "into", "is", "it", "its", "many", "much", "of", "on", "one",
      "or", "over", "say", "says", "said", "screen", "seen", "shown", "show", "shows", "so", "some", "than", "that",
      "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "under", "until", "up", "upon",
      "video", "was", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will",
      "with", "within", "would", "written", "you", "your", "clip", "frame", "frames", "displayed", "visible",
      "text", "read", "reads", "time", "moment");

  private QueryPhrases() {}

  /** Options first, then quoted strings, then content words (at least 3 characters); no duplicates. */
  public static List<String> of(final Question question) {
    final Set<String> out = new LinkedHashSet<>(question.choices());
    final Matcher m = QUOTED.matcher(question.text());
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    for (final String w : TextNormalizer.words(question.text()).split(" ")) {
      if (w.length() >= 3 && !STOP.contains(w)) {
        out.add(w);
      }
    }
    return new ArrayList<>(out);
  }
}
