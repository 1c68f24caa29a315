package io.vidctx.qa;

/**
 * Answers a question from a compact video context. Implementations may hold a model or a connection:
 * close them. They are thread-safe unless they say otherwise.
 */
public interface Answerer extends AutoCloseable {

  /**
   * Answers {@code question} from {@code context}.
   *
   * @throws AnswerException when no reply could be obtained (an endpoint down, a timeout after the
   *     retries, a refused request): the message says what to check. A reply that cannot be parsed is
   *     not an exception but an {@link Answer.Status#PARSE_FAILURE}.
   */
  Answer answer(Question question, VideoContext context);

  /** A short name for reports: "embedding", "openai:MODEL@HOST". */
  String name();

  @Override
  default void close() {}
}
