package io.vidctx.qa.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiConfigTest {

  @Test
  void of_defaults() {
    final OpenAiConfig c = OpenAiConfig.of("http://127.0.0.1:8000/v1", "llava");
    assertNull(c.apiKey());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals(Duration.ofSeconds(120), c.requestTimeout());
    assertEquals(2, c.maxRetries());
    assertEquals(Duration.ofMillis(500), c.retryBackoff());
    assertEquals(64, c.maxTokensFor(true));
    assertEquals(512, c.maxTokensFor(false));
    assertEquals(0.0, c.temperature());
    assertEquals(8, c.maxImages());
    assertEquals(100, c.withMaxTokens(100).maxTokensFor(true));
    assertEquals(100, c.withMaxTokens(100).maxTokensFor(false));
  }

  @Test
  void endpoint_acceptsTrailingSlashAndFullPath() {
    final URI expected = URI.create("http://gpu-1:8000/v1/chat/completions");
    for (final String base : new String[] {"http://gpu-1:8000/v1", "http://gpu-1:8000/v1/", " http://gpu-1:8000/v1// ",
        "http://gpu-1:8000/v1/chat/completions", "http://gpu-1:8000/v1/chat/completions/"}) {
      final OpenAiConfig c = OpenAiConfig.of(base, "m");
      assertEquals(expected, c.endpoint(), base);
      assertEquals("http://gpu-1:8000/v1", c.baseUrl(), base);
    }
  }

  @Test
  void hostPort_fillsTheSchemesDefaultPort() {
    assertEquals("gpu-1:8000", OpenAiConfig.of("http://gpu-1:8000/v1", "m").hostPort());
    assertEquals("api.example.com:443", OpenAiConfig.of("https://api.example.com/v1", "m").hostPort());
    assertEquals("box:80", OpenAiConfig.of("http://box/v1", "m").hostPort());
  }

  @Test
  void constructor_rejectsBadUrlsNamingThem() {
    for (final String bad : new String[] {"ftp://gpu-1/v1", "gpu-1:8000/v1", "http:///v1", "http://gpu 1/v1",
        "http://gpu-1:8000/v1?key=x"}) {
      final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OpenAiConfig.of(bad, "m"), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> OpenAiConfig.of(" ", "m"));
  }

  @Test
  void constructor_rejectsBadValues() {
    final OpenAiConfig c = OpenAiConfig.of("http://h:1/v1", "m");
    assertThrows(IllegalArgumentException.class, () -> OpenAiConfig.of("http://h:1/v1", " "));
    assertThrows(IllegalArgumentException.class, () -> c.withConnectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> c.withRequestTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> c.withMaxRetries(-1));
    assertThrows(IllegalArgumentException.class, () -> c.withRetryBackoff(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> c.withMaxTokens(-5));
    assertThrows(IllegalArgumentException.class, () -> c.withTemperature(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> c.withMaxImages(-1));
    assertEquals(0, c.withMaxRetries(0).maxRetries());
  }

  @Test
  void apiKey_maskedAndBlankMeansNone() {
    final String key = "sk-secret-42";
    final OpenAiConfig c = OpenAiConfig.of("http://h:1/v1", "m").withApiKey(key);
    assertEquals(key, c.apiKey());
    assertFalse(c.toString().contains(key), c.toString());
    assertTrue(c.toString().contains("apiKey=***"));
    assertNull(c.withApiKey("  ").apiKey());
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.withApiKey("sk-line\nbreak"));
    assertFalse(e.getMessage().contains("sk-line"), e.getMessage());
  }

  @Test
  void backoff_doublesUpToTheCap() {
    final OpenAiConfig c = OpenAiConfig.of("http://h:1/v1", "m");
    assertEquals(Duration.ofMillis(500), c.backoff(0));
    assertEquals(Duration.ofMillis(1000), c.backoff(1));
    assertEquals(Duration.ofMillis(2000), c.backoff(2));
    assertEquals(OpenAiConfig.MAX_BACKOFF, c.backoff(10));
    assertEquals(OpenAiConfig.MAX_BACKOFF, c.backoff(1000));
    assertEquals(OpenAiConfig.MAX_BACKOFF, c.withRetryBackoff(Duration.ofDays(1)).backoff(0));
    assertEquals(Duration.ZERO, c.withRetryBackoff(Duration.ZERO).backoff(5));
  }
}
