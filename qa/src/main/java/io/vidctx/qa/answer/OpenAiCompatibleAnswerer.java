package io.vidctx.qa.answer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Keyframe;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.tokencompress.select.TextHit;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers by asking a vision-language model behind an OpenAI-compatible chat-completions endpoint
 * (vLLM, llama.cpp server, Ollama, TGI): one POST per question, carrying the question, its lettered
 * options and the context's keyframes as JPEG data URLs, each after its timestamp.
 *
 * <p>A reply that names no option (or an empty open answer) is an {@link Answer.Status#PARSE_FAILURE}
 * with the raw text kept, never a guess; see {@link ReplyParser}. No reply at all is an {@link
 * AnswerException} whose message names the endpoint (never the API key) and what to check:
 * connection refused fails at once; connect and request timeouts, HTTP 408, 429 and 5xx and broken
 * connections are retried {@link OpenAiConfig#maxRetries()} times with exponential backoff (or the
 * server's {@code Retry-After}, up to 30 s, for 429 and 503); other 4xx fail at once; a 2xx that is
 * not a chat completion is a "malformed response".
 *
 * <p>The request timeout bounds the wait for the response's headers: a reply whose body stalls after
 * them is not timed out (servers send the whole completion at once when not streaming).
 *
 * <p>Confidence is NaN: the endpoint gives no probability for the letter. Thread-safe.
 */
public final class OpenAiCompatibleAnswerer implements Answerer {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleAnswerer.class);

  /** The system message sent with every question. */
  public static final String SYSTEM_PROMPT = "You answer questions about a video. You are shown frames sampled"
      + " from it, in time order, each preceded by its timestamp. Answer from what the frames show.";
  /** The instruction after the options of a multiple-choice question (lmms-eval's wording). */
  public static final String CHOICE_INSTRUCTION = "Answer with the option's letter from the given choices directly.";

  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  private static final int EXCERPT_CHARS = 300;

  private final OpenAiConfig config;
  private final URI endpoint;
  private final String name;
  private final HttpClient client;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicBoolean closed = new AtomicBoolean();

  public OpenAiCompatibleAnswerer(final OpenAiConfig config) {
    this.config = config;
    this.endpoint = config.endpoint();
    this.name = "openai:" + config.model() + "@" + config.hostPort();
    // HTTP/1.1: the default HTTP/2 attempt sends an h2c upgrade with the POST, which some
    // Python servers mishandle; one request per question gains nothing from HTTP/2.
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** {@code openai:MODEL@HOST:PORT}. */
  @Override
  public String name() {
    return name;
  }

  /** Sends the context's keyframes; their JPEG bytes must have been fetched (see {@link #answer(Question, List, long, long)}). */
  @Override
  public Answer answer(final Question question, final VideoContext context) {
    return answer(question, context.keyframes(), context.texts(), context.videoStartMicros(),
        context.videoEndMicros());
  }

  /**
   * Asks the model {@code question} about a video shown through {@code keyframes}, without on-screen
   * text.
   *
   * @see #answer(Question, List, List, long, long)
   */
  public Answer answer(final Question question, final List<Keyframe> keyframes, final long videoStartMicros,
      final long videoEndMicros) {
    return answer(question, keyframes, List.of(), videoStartMicros, videoEndMicros);
  }

  /**
   * Asks the model {@code question} about a video shown through {@code keyframes}.
   *
   * @param keyframes the frames to show; when there are more than {@link OpenAiConfig#maxImages()},
   *     those with the largest share are sent, in time order
   * @param texts on-screen text read by OCR, sent as text lines with their time spans (a model reads
   *     small text in a downscaled keyframe badly, and text between keyframes is not in any)
   * @param videoStartMicros first time the video covers (timestamps are sent on the video's own clock)
   * @param videoEndMicros last time the video covers
   * @throws IllegalArgumentException when a keyframe to be sent has no JPEG bytes, or the video ends
   *     before it starts
   * @throws AnswerException when no reply could be obtained
   */
  public Answer answer(final Question question, final List<Keyframe> keyframes, final List<TextHit> texts,
      final long videoStartMicros, final long videoEndMicros) {
    if (closed.get()) {
      throw new IllegalStateException("answerer " + name + " is closed");
    }
    if (videoEndMicros < videoStartMicros) {
      throw new IllegalArgumentException("the video ends (" + TimeRange.format(videoEndMicros) + ") before it starts ("
          + TimeRange.format(videoStartMicros) + ")");
    }
    final long t0 = System.nanoTime();
    final List<Keyframe> sent = selectFrames(keyframes, config.maxImages());
    final byte[] body = requestBody(question, sent, texts, videoStartMicros, videoEndMicros);
    final String content = post(body);
    return toAnswer(question, content, sent, System.nanoTime() - t0);
  }

  /** Marks the answerer closed; later calls fail. Java 17's {@link HttpClient} frees its threads when unreachable. */
  @Override
  public void close() {
    closed.set(true);
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleAnswerer[" + config + "]";
  }

  /**
   * At most {@code max} frames, in time order: all of them when they fit, else those with the largest
   * share (ties to the earlier).
   */
  static List<Keyframe> selectFrames(final List<Keyframe> frames, final int max) {
    final List<Keyframe> chosen = frames.size() <= max
        ? frames
        : frames.stream()
            .sorted(Comparator.comparingDouble(Keyframe::share).reversed().thenComparingLong(Keyframe::ptsMicros))
            .limit(max)
            .toList();
    return chosen.stream().sorted(Comparator.comparingLong(Keyframe::ptsMicros)).toList();
  }

  private byte[] requestBody(final Question question, final List<Keyframe> frames, final List<TextHit> texts,
      final long startMicros, final long endMicros) {
    final ObjectNode root = json.createObjectNode();
    root.put("model", config.model());
    final ArrayNode messages = root.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
    final ObjectNode user = messages.addObject().put("role", "user");
    final ArrayNode parts = user.putArray("content");
    text(parts, intro(frames.size(), startMicros, endMicros));
    final Base64.Encoder base64 = Base64.getEncoder();
    for (final Keyframe k : frames) {
      final byte[] jpeg = k.jpeg();
      if (jpeg == null) {
        throw new IllegalArgumentException("keyframe at " + TimeRange.format(k.ptsMicros()) + " has no JPEG bytes:"
            + " fetch the keyframe images (io.vidctx.qa.frames.KeyframeGrabber, then VideoContext.withKeyframes) before asking an image model");
      }
      text(parts, "[t=" + TimeRange.format(k.ptsMicros()) + "]");
      parts.addObject().put("type", "image_url").putObject("image_url")
          .put("url", "data:image/jpeg;base64," + base64.encodeToString(jpeg));
    }
    if (!texts.isEmpty()) {
      text(parts, onScreenText(texts));
    }
    text(parts, questionText(question));
    root.put("max_tokens", config.maxTokensFor(question.isMultipleChoice()));
    root.put("temperature", config.temperature());
    try {
      return json.writeValueAsBytes(root);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
    }
  }

  private static void text(final ArrayNode parts, final String text) {
    parts.addObject().put("type", "text").put("text", text);
  }

  private static String intro(final int frames, final long startMicros, final long endMicros) {
    final StringBuilder s = new StringBuilder("The video lasts ").append(duration(endMicros - startMicros));
    if (startMicros != 0) {
      // A live stream's clock does not start at 0: say so, or the timestamps look like an offset error.
      s.append(" (its clock runs from ").append(TimeRange.format(startMicros)).append(" to ")
          .append(TimeRange.format(endMicros)).append(')');
    }
    s.append(". ");
    if (frames == 0) {
      s.append("No frames are attached: answer from the text alone.");
    } else if (frames == 1) {
      s.append("1 frame follows, preceded by its timestamp.");
    } else {
      s.append(frames).append(" frames follow, each preceded by its timestamp.");
    }
    return s.toString();
  }

  /** The OCR lines, one per text token with its time span, in time order. */
  static String onScreenText(final List<TextHit> texts) {
    final StringBuilder s = new StringBuilder("On-screen text read by OCR (it may hold recognition errors), with"
        + " the times it was on screen:");
    for (final TextHit h : texts) {
      s.append("\n[").append(TimeRange.format(h.token().startMicros())).append('-')
          .append(TimeRange.format(h.token().endMicros())).append("] ").append(h.token().text());
    }
    return s.toString();
  }

  private static String questionText(final Question q) {
    final StringBuilder s = new StringBuilder();
    final TimeRange range = q.range();
    if (range != null) {
      s.append("The question is about the part from ").append(TimeRange.format(range.startMicros())).append(" to ")
          .append(TimeRange.format(range.endMicros())).append(".\n");
    }
    s.append(q.text());
    for (int i = 0; i < q.choices().size(); i++) {
      s.append('\n').append(Question.letter(i)).append(". ").append(q.choices().get(i));
    }
    if (q.isMultipleChoice()) {
      s.append('\n').append(CHOICE_INSTRUCTION);
    }
    return s.toString();
  }

  /** {@code H:MM:SS}, rounded to the second. */
  static String duration(final long micros) {
    final long s = (Math.max(0, micros) + 500_000) / 1_000_000;
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  private Answer toAnswer(final Question q, final String content, final List<Keyframe> sent, final long nanos) {
    final List<EvidenceRange> evidence = new ArrayList<>(sent.size());
    for (final Keyframe k : sent) {
      evidence.add(new EvidenceRange(k.ptsMicros(), k.ptsMicros(), k.share()));
    }
    if (q.isMultipleChoice()) {
      final OptionalInt choice = ReplyParser.parseChoice(content, q.choices());
      if (choice.isEmpty()) {
        return new Answer(Answer.Status.PARSE_FAILURE, "", -1, Double.NaN, evidence, name, content, nanos);
      }
      final int c = choice.getAsInt();
      return new Answer(Answer.Status.ANSWERED, q.choices().get(c), c, Double.NaN, evidence, name, content, nanos);
    }
    final Optional<String> text = ReplyParser.parseOpen(content);
    return text
        .map(t -> new Answer(Answer.Status.ANSWERED, t, -1, Double.NaN, evidence, name, content, nanos))
        .orElseGet(() -> new Answer(Answer.Status.PARSE_FAILURE, "", -1, Double.NaN, evidence, name, content, nanos));
  }

  /** Posts {@code body}, retrying transient failures; returns the reply's content. */
  private String post(final byte[] body) {
    final HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint)
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("User-Agent", "vidctx")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (config.apiKey() != null) {
      rb.header("Authorization", "Bearer " + config.apiKey());
    }
    final HttpRequest request = rb.build();
    final int attempts = config.maxRetries() + 1;
    for (int attempt = 1; ; attempt++) {
      final boolean last = attempt == attempts;
      Duration wait;
      String why;
      try {
        final HttpResponse<byte[]> resp = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        final int status = resp.statusCode();
        if (status >= 200 && status < 300) {
          return content(status, resp.body());
        }
        if (!retryable(status) || last) {
          throw httpError(status, resp.body(), attempt);
        }
        wait = retryAfter(resp).orElse(config.backoff(attempt - 1));
        why = "HTTP " + status;
      } catch (final HttpConnectTimeoutException e) {
        if (last) {
          throw new AnswerException("connecting to " + endpoint + " timed out after " + config.connectTimeout()
              .toMillis() + " ms (" + tries(attempt) + "): check the host and port, and that no firewall drops the"
              + " connection", e);
        }
        wait = config.backoff(attempt - 1);
        why = "connect timeout";
      } catch (final HttpTimeoutException e) {
        if (last) {
          throw new AnswerException("no reply from " + endpoint + " within the request timeout of "
              + config.requestTimeout().toMillis() + " ms (" + tries(attempt) + "): the server may be overloaded or"
              + " the request too large; raise the request timeout (vidctx ask --vlm-timeout; OpenAiConfig.withRequestTimeout) or send fewer"
              + " images (--keyframes; OpenAiConfig.withMaxImages)", e);
        }
        wait = config.backoff(attempt - 1);
        why = "request timeout";
      } catch (final ConnectException e) {
        // Not retried: a refused connection means nothing listens there, which waiting rarely changes.
        throw new AnswerException("cannot connect to " + endpoint + " (connection refused): is the server running?"
            + " check --vlm URL", e);
      } catch (final IOException e) {
        if (last) {
          throw new AnswerException("request to " + endpoint + " failed (" + tries(attempt) + "): " + e, e);
        }
        wait = config.backoff(attempt - 1);
        why = String.valueOf(e);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AnswerException("request to " + endpoint + " interrupted", e);
      }
      LOG.warn("{} from {}; retry {} of {} in {} ms", why, endpoint, attempt, attempts - 1, wait.toMillis());
      sleep(wait);
    }
  }

  private static String tries(final int attempts) {
    return attempts == 1 ? "1 attempt" : attempts + " attempts";
  }

  private static boolean retryable(final int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /** The server's {@code Retry-After} in seconds, for 429 and 503 only, capped at 30 s. */
  private static Optional<Duration> retryAfter(final HttpResponse<?> resp) {
    final int status = resp.statusCode();
    if (status != 429 && status != 503) {
      return Optional.empty();
    }
    final Optional<String> header = resp.headers().firstValue("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    try {
      final long seconds = Long.parseLong(header.get().strip());
      if (seconds < 0) {
        return Optional.empty();
      }
      return Optional.of(seconds > MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER : Duration.ofSeconds(seconds));
    } catch (final NumberFormatException e) {
      // An HTTP-date: rare from model servers; the exponential backoff serves as well.
      return Optional.empty();
    }
  }

  private void sleep(final Duration wait) {
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnswerException("interrupted while waiting to retry " + endpoint, e);
    }
  }

  private AnswerException httpError(final int status, final byte[] body, final int attempt) {
    final String head = "HTTP " + status + " from " + endpoint;
    final String tail = " (" + tries(attempt) + "); body: " + excerpt(body);
    final String hint;
    if (status == 401 || status == 403) {
      hint = ": the server refused the credentials; check the API key";
    } else if (status == 404) {
      hint = ": check the base URL (it usually ends in /v1) and the model name '" + config.model()
          + "' (GET " + config.baseUrl() + "/models lists the served ones)";
    } else if (status == 400 || status == 413 || status == 422) {
      hint = ": the server rejected the request; the model may not accept images, or the frames may not fit its"
          + " context: send fewer images (vidctx ask --keyframes; OpenAiConfig.withMaxImages) or check the server's"
          + " limits";
    } else if (status == 408 || status == 429) {
      hint = ": the server is busy; try again later, or lower the request rate";
    } else if (status >= 500) {
      hint = ": server error; check the server's log";
    } else {
      hint = ": unexpected status";
    }
    return new AnswerException(head + hint + tail);
  }

  /** {@code choices[0].message.content} of a chat completion, as text. */
  private String content(final int status, final byte[] body) {
    final JsonNode root;
    try {
      root = json.readTree(body);
    } catch (final IOException e) {
      throw malformed(status, "the body is not JSON", body);
    }
    if (root == null || root.isMissingNode()) {
      throw malformed(status, "the body is empty", body);
    }
    final JsonNode choice = root.path("choices").path(0);
    final JsonNode content = choice.path("message").path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      // Some servers return content as parts, like the request's: the text parts are the reply.
      final StringBuilder s = new StringBuilder();
      for (final JsonNode part : content) {
        if (part.isTextual()) {
          s.append(part.asText());
        } else if (part.path("text").isTextual()) {
          s.append(part.path("text").asText());
        }
      }
      return s.toString();
    }
    final String finish = choice.path("finish_reason").asText("");
    throw malformed(status, "it has no choices[0].message.content"
        + (finish.isEmpty() ? "" : " (finish_reason " + finish
            + (finish.equals("length") ? ": the token limit was reached first; raise max tokens"
                + " (vidctx ask --vlm-max-tokens; OpenAiConfig.withMaxTokens)" : "") + ")"), body);
  }

  private AnswerException malformed(final int status, final String why, final byte[] body) {
    return new AnswerException("malformed response from " + endpoint + " (HTTP " + status + "): " + why
        + "; is this an OpenAI-compatible chat-completions endpoint? body: " + excerpt(body));
  }

  /** The body's first 300 characters on one line, with the API key masked should the server echo it. */
  private String excerpt(final byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    final @Nullable String key = config.apiKey();
    if (key != null) {
      s = s.replace(key, "***");
    }
    if (s.isEmpty()) {
      return "(empty)";
    }
    return s.length() <= EXCERPT_CHARS ? s : s.substring(0, EXCERPT_CHARS) + "...";
  }
}
