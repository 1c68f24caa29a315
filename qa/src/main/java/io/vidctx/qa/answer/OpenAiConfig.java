package io.vidctx.qa.answer;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where and how {@link OpenAiCompatibleAnswerer} talks to an OpenAI-compatible chat-completions
 * endpoint (vLLM, llama.cpp server, Ollama, TGI). Build with {@link #of(String, String)} and the
 * {@code withX} methods; every value is checked when built, and the message names the bad value.
 *
 * <p>The API key never appears in {@link #toString()} or in any error message.
 *
 * @param baseUrl the API root, normalised: no trailing slash and no {@code /chat/completions}
 *     ({@code http://127.0.0.1:8000/v1}); the client posts to {@link #endpoint()}
 * @param model the served model name, sent as {@code "model"}
 * @param apiKey sent as {@code Authorization: Bearer KEY}, or null to send no such header
 * @param connectTimeout bound on opening a connection
 * @param requestTimeout bound on one request, from sending it to the response's headers
 * @param maxRetries how many times a transient failure (timeout, 408, 429, 5xx) is retried, {@code >= 0}
 * @param retryBackoff the wait before the first retry; each further retry waits twice as long, up to
 *     {@link #MAX_BACKOFF}; zero retries at once
 * @param maxTokens the reply's token limit, or {@link #AUTO_MAX_TOKENS} for 64 (multiple choice) or
 *     512 (open question)
 * @param temperature sampling temperature, {@code >= 0}; 0 is greedy, as the benchmark protocols ask
 * @param maxImages the most keyframes sent with one question (those with the largest share), {@code >= 0}
 */
public record OpenAiConfig(String baseUrl, String model, @Nullable String apiKey, Duration connectTimeout,
    Duration requestTimeout, int maxRetries, Duration retryBackoff, int maxTokens, double temperature,
    int maxImages) {

  /** {@link #maxTokens()} value meaning "by question kind". */
  public static final int AUTO_MAX_TOKENS = 0;
  /** Token limit for a multiple-choice reply when none is set: a letter plus some slack for chatty models. */
  public static final int CHOICE_MAX_TOKENS = 64;
  /** Token limit for an open reply when none is set. */
  public static final int OPEN_MAX_TOKENS = 512;
  /** The longest wait between two retries, however many came before. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private static final String COMPLETIONS = "/chat/completions";

  public OpenAiConfig {
    baseUrl = normalise(baseUrl);
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("the model name is empty: give the served model's name (the server's"
          + " /v1/models lists them)");
    }
    model = model.strip();
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
    if (apiKey != null && !apiKey.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // Never echo the key: it is the one value whose message must not name it.
      throw new IllegalArgumentException("the API key contains spaces, line breaks or non-ASCII characters;"
          + " pass the bare key");
    }
    apiKey = apiKey == null ? null : apiKey.strip();
    requirePositive("connect timeout", connectTimeout);
    requirePositive("request timeout", requestTimeout);
    if (maxRetries < 0) {
      throw new IllegalArgumentException("max retries must be >= 0, was " + maxRetries);
    }
    if (retryBackoff == null || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retry backoff must be >= 0, was " + retryBackoff);
    }
    if (maxTokens < 0) {
      throw new IllegalArgumentException("max tokens must be > 0 (or 0 for the default by question kind), was "
          + maxTokens);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a finite number >= 0, was " + temperature);
    }
    if (maxImages < 0) {
      throw new IllegalArgumentException("max images must be >= 0, was " + maxImages);
    }
  }

  /**
   * Defaults: no API key, 10 s to connect, 120 s per request, 2 retries from 500 ms, token limit by
   * question kind, temperature 0, 8 images.
   *
   * @param baseUrl the API root, with or without a trailing slash or {@code /chat/completions}
   */
  public static OpenAiConfig of(final String baseUrl, final String model) {
    return new OpenAiConfig(baseUrl, model, null, Duration.ofSeconds(10), Duration.ofSeconds(120), 2,
        Duration.ofMillis(500), AUTO_MAX_TOKENS, 0.0, 8);
  }

  public OpenAiConfig withApiKey(final @Nullable String key) {
    return new OpenAiConfig(baseUrl, model, key, connectTimeout, requestTimeout, maxRetries, retryBackoff, maxTokens,
        temperature, maxImages);
  }

  public OpenAiConfig withConnectTimeout(final Duration timeout) {
    return new OpenAiConfig(baseUrl, model, apiKey, timeout, requestTimeout, maxRetries, retryBackoff, maxTokens,
        temperature, maxImages);
  }

  public OpenAiConfig withRequestTimeout(final Duration timeout) {
    return new OpenAiConfig(baseUrl, model, apiKey, connectTimeout, timeout, maxRetries, retryBackoff, maxTokens,
        temperature, maxImages);
  }

  public OpenAiConfig withMaxRetries(final int retries) {
    return new OpenAiConfig(baseUrl, model, apiKey, connectTimeout, requestTimeout, retries, retryBackoff, maxTokens,
        temperature, maxImages);
  }

  public OpenAiConfig withRetryBackoff(final Duration backoff) {
    return new OpenAiConfig(baseUrl, model, apiKey, connectTimeout, requestTimeout, maxRetries, backoff, maxTokens,
        temperature, maxImages);
  }

  /** @param tokens the reply's token limit, or {@link #AUTO_MAX_TOKENS} */
  public OpenAiConfig withMaxTokens(final int tokens) {
    return new OpenAiConfig(baseUrl, model, apiKey, connectTimeout, requestTimeout, maxRetries, retryBackoff, tokens,
        temperature, maxImages);
  }

  public OpenAiConfig withTemperature(final double t) {
    return new OpenAiConfig(baseUrl, model, apiKey, connectTimeout, requestTimeout, maxRetries, retryBackoff, maxTokens,
        t, maxImages);
  }

  public OpenAiConfig withMaxImages(final int images) {
    return new OpenAiConfig(baseUrl, model, apiKey, connectTimeout, requestTimeout, maxRetries, retryBackoff, maxTokens,
        temperature, images);
  }

  /** The URL requests are posted to: {@code baseUrl + "/chat/completions"}. */
  public URI endpoint() {
    return URI.create(baseUrl + COMPLETIONS);
  }

  /** {@code host:port}, with the scheme's default port when the URL names none. */
  public String hostPort() {
    final URI u = URI.create(baseUrl);
    final int port = u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    return u.getHost() + ":" + port;
  }

  /** The token limit for a question of the given kind. */
  public int maxTokensFor(final boolean multipleChoice) {
    if (maxTokens != AUTO_MAX_TOKENS) {
      return maxTokens;
    }
    return multipleChoice ? CHOICE_MAX_TOKENS : OPEN_MAX_TOKENS;
  }

  /** The wait before retry number {@code retry} (0 for the first): exponential, capped at {@link #MAX_BACKOFF}. */
  public Duration backoff(final int retry) {
    final long base = retryBackoff.toMillis();
    final long cap = MAX_BACKOFF.toMillis();
    final int shift = Math.min(Math.max(retry, 0), 30);
    // Compared before shifting, so a long backoff cannot overflow into a negative wait.
    return Duration.ofMillis(base > cap >> shift ? cap : base << shift);
  }

  @Override
  public String toString() {
    return "OpenAiConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries
        + ", retryBackoff=" + retryBackoff + ", maxTokens=" + (maxTokens == AUTO_MAX_TOKENS ? "auto" : maxTokens)
        + ", temperature=" + temperature + ", maxImages=" + maxImages + "]";
  }

  private static String normalise(final String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("the base URL is empty: give the server's API root, e.g."
          + " http://127.0.0.1:8000/v1");
    }
    String s = url.strip();
    s = stripTrailingSlashes(s);
    if (s.toLowerCase(Locale.ROOT).endsWith(COMPLETIONS)) {
      s = stripTrailingSlashes(s.substring(0, s.length() - COMPLETIONS.length()));
    }
    final URI u;
    try {
      u = new URI(s);
    } catch (final URISyntaxException e) {
      throw new IllegalArgumentException("base URL '" + url + "' is not a valid URL: " + e.getMessage(), e);
    }
    final String scheme = u.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("base URL '" + url + "' must start with http:// or https://, e.g."
          + " http://127.0.0.1:8000/v1");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException("base URL '" + url + "' names no host, e.g. http://127.0.0.1:8000/v1");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      // "/chat/completions" is appended to the path: a query or fragment would end up before it.
      throw new IllegalArgumentException("base URL '" + url + "' must not carry a query or fragment");
    }
    return s;
  }

  private static String stripTrailingSlashes(final String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  private static void requirePositive(final String what, final @Nullable Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
  }
}
