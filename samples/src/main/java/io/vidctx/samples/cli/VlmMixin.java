package io.vidctx.samples.cli;

import io.vidctx.encoder.TextEncoder;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
import io.vidctx.qa.answer.OpenAiCompatibleAnswerer;
import io.vidctx.qa.answer.OpenAiConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The external-model options of {@code vidctx ask} and {@code vidctx eval}, and the answerer they choose. */
final class VlmMixin {

  @Option(names = "--vlm", paramLabel = "<url>",
      description = "OpenAI-compatible endpoint base URL, e.g. http://127.0.0.1:8000/v1 (vLLM).")
  @Nullable String url;

  @Option(names = "--vlm-model", paramLabel = "<name>", defaultValue = "default",
      description = "Model name sent to --vlm.")
  String model;

  @Option(names = "--api-key-env", paramLabel = "<var>", defaultValue = "VIDCTX_API_KEY",
      description = "Environment variable holding the --vlm API key (sent only when set).")
  String apiKeyEnv;

  @Option(names = "--vlm-timeout", paramLabel = "<seconds>", defaultValue = "120",
      description = "Request timeout for --vlm.")
  int timeout;

  @Option(names = "--vlm-retries", paramLabel = "<n>", defaultValue = "2",
      description = "Retries on timeouts and 5xx/429 replies from --vlm.")
  int retries;

  @Option(names = "--vlm-max-tokens", paramLabel = "<n>", defaultValue = "0",
      description = "Token limit of the --vlm reply; 0 = 64 for multiple choice, 512 for open questions.")
  int maxTokens;

  /** Whether an external model answers. */
  boolean enabled() {
    return url != null;
  }

  /** The external model's answerer with --vlm, else the built-in embedding answerer over {@code text}. */
  Answerer answerer(final @Nullable TextEncoder text) {
    if (url == null) {
      return new EmbeddingChoiceAnswerer(text);
    }
    try {
      // A blank or unset key variable means no Authorization header (OpenAiConfig drops blank keys).
      return new OpenAiCompatibleAnswerer(OpenAiConfig.of(url, model).withApiKey(System.getenv(apiKeyEnv))
          .withRequestTimeout(Duration.ofSeconds(timeout)).withMaxRetries(retries).withMaxTokens(maxTokens));
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput("--vlm " + url + ": " + e.getMessage());
    }
  }
}
