package io.vidctx.qa.answer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.testing.Photos;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Keyframe;
import io.vidctx.qa.Question;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiCompatibleAnswererTest {
  private static final String MODEL = "Qwen/Qwen2.5-VL-7B-Instruct";
  private static final String KEY = "sk-test-0123456789abcdef";
  private static final String DATA_URL = "data:image/jpeg;base64,";
  private static final Question PETS = Question.choice("Which animal is on the sofa?",
      List.of("a horse", "a cat", "a dog", "a red kite"));

  private final ObjectMapper json = new ObjectMapper();
  private final List<byte[]> jpegs = new ArrayList<>();
  private ChatCompletionsServer server;

  @BeforeAll
  void encodePhotos() {
    final ImageCodec codec = new ImageCodec();
    for (final String file : List.of("cat.png", "dog_bicycle.jpg", "eagle.jpg", "horses.jpg", "kites_beach.jpg")) {
      final DecodedImage img = Photos.resize(codec.read(SharedData.image(file)), 96, 64);
      jpegs.add(codec.encode(img.rgb(), img.width(), img.height(), ImageFormat.JPEG));
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = new ChatCompletionsServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A config for the test server whose retries wait 1 ms, so retry tests take no real time. */
  private OpenAiConfig config() {
    return OpenAiConfig.of(server.baseUrl(), MODEL).withRetryBackoff(Duration.ofMillis(1));
  }

  private List<Keyframe> frames(final int n) {
    final List<Keyframe> frames = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      frames.add(new Keyframe(1_000_000L + i * 7_250_000L, 1.0 / n, 0.3f, jpegs.get(i)));
    }
    return frames;
  }

  private Answer ask(final OpenAiConfig config, final Question q, final List<Keyframe> frames) {
    try (OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(config)) {
      return answerer.answer(q, frames, 0, 30_000_000L);
    }
  }

  private JsonNode body(final int request) throws IOException {
    return json.readTree(server.requests().get(request).body());
  }

  @Test
  void shouldPostQuestionOptionsAndTimestampedImagesInTheChatCompletionsShape() throws IOException {
    server.then(ChatCompletionsServer.Reply.content("B"));
    final List<Keyframe> frames = frames(3);

    final Answer a = ask(config(), PETS, frames);

    assertEquals(1, server.requests().size());
    final ChatCompletionsServer.Request r = server.requests().get(0);
    assertEquals("POST", r.method());
    assertEquals(ChatCompletionsServer.PATH, r.path());
    assertEquals("application/json", r.header("Content-Type"));
    assertNull(r.header("Authorization"), "no key configured, so no Authorization header");
    final JsonNode body = body(0);
    assertEquals(MODEL, body.path("model").asText());
    assertEquals(OpenAiConfig.CHOICE_MAX_TOKENS, body.path("max_tokens").asInt());
    assertEquals(0.0, body.path("temperature").asDouble());
    final JsonNode messages = body.path("messages");
    assertEquals(2, messages.size());
    assertEquals("system", messages.path(0).path("role").asText());
    assertEquals(OpenAiCompatibleAnswerer.SYSTEM_PROMPT, messages.path(0).path("content").asText());
    assertEquals("user", messages.path(1).path("role").asText());
    final JsonNode parts = messages.path(1).path("content");
    assertEquals(1 + 2 * frames.size() + 1, parts.size());
    assertEquals("text", parts.path(0).path("type").asText());
    assertEquals("The video lasts 0:00:30. 3 frames follow, each preceded by its timestamp.",
        parts.path(0).path("text").asText());
    for (int i = 0; i < frames.size(); i++) {
      final JsonNode stamp = parts.path(1 + 2 * i);
      final JsonNode image = parts.path(2 + 2 * i);
      assertEquals("text", stamp.path("type").asText());
      assertEquals("[t=" + TimeRange.format(frames.get(i).ptsMicros()) + "]", stamp.path("text").asText());
      assertEquals("image_url", image.path("type").asText());
      final String url = image.path("image_url").path("url").asText();
      assertTrue(url.startsWith(DATA_URL), url.substring(0, Math.min(40, url.length())));
      assertArrayEquals(jpegs.get(i), Base64.getDecoder().decode(url.substring(DATA_URL.length())),
          "image " + i + " must arrive byte for byte");
    }
    assertEquals("[t=0:00:01.000]", parts.path(1).path("text").asText());
    assertEquals("[t=0:00:08.250]", parts.path(3).path("text").asText());
    final JsonNode last = parts.path(parts.size() - 1);
    assertEquals("text", last.path("type").asText());
    assertEquals("Which animal is on the sofa?\nA. a horse\nB. a cat\nC. a dog\nD. a red kite\n"
        + OpenAiCompatibleAnswerer.CHOICE_INSTRUCTION, last.path("text").asText());

    assertEquals(Answer.Status.ANSWERED, a.status());
    assertEquals(1, a.choice());
    assertEquals("B", a.letter());
    assertEquals("a cat", a.text());
    assertEquals("B", a.raw());
    assertTrue(Double.isNaN(a.confidence()));
    assertEquals("openai:" + MODEL + "@127.0.0.1:" + server.port(), a.answerer());
    assertEquals(frames.size(), a.evidence().size());
    for (int i = 0; i < frames.size(); i++) {
      final EvidenceRange e = a.evidence().get(i);
      assertEquals(frames.get(i).ptsMicros(), e.startMicros());
      assertEquals(frames.get(i).ptsMicros(), e.endMicros());
    }
    assertTrue(a.nanos() > 0);
  }

  @Test
  void shouldSendTheApiKeyAsBearerTokenOnlyWhenSet() {
    server.then(ChatCompletionsServer.Reply.content("A"));
    ask(config().withApiKey(KEY), PETS, frames(1));
    assertEquals("Bearer " + KEY, server.requests().get(0).header("Authorization"));
  }

  @Test
  void shouldParseTheRepliesThatNameAnOption() {
    server.then(
        ChatCompletionsServer.Reply.content("B"),
        ChatCompletionsServer.Reply.content("(C) a dog"),
        ChatCompletionsServer.Reply.content("Answer: A"),
        ChatCompletionsServer.Reply.content("  A Red Kite "),
        ChatCompletionsServer.Reply.content("The answer is D) because of the string"));
    try (OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(config())) {
      for (final int expected : new int[] {1, 2, 0, 3, 3}) {
        final Answer a = answerer.answer(PETS, frames(2), 0, 30_000_000L);
        assertEquals(Answer.Status.ANSWERED, a.status(), a.raw());
        assertEquals(expected, a.choice(), a.raw());
        assertEquals(PETS.choices().get(expected), a.text());
      }
    }
  }

  @Test
  void shouldReportUnparseableRepliesAsParseFailuresWithTheRawTextKept() {
    final List<String> replies = List.of("I think it's E", "maybe", "", "E");
    for (final String reply : replies) {
      server.then(ChatCompletionsServer.Reply.content(reply));
    }
    try (OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(config())) {
      for (final String reply : replies) {
        final Answer a = answerer.answer(PETS, frames(1), 0, 30_000_000L);
        assertEquals(Answer.Status.PARSE_FAILURE, a.status(), reply);
        assertEquals(-1, a.choice(), reply);
        assertEquals("", a.letter());
        assertEquals(reply, a.raw());
        assertTrue(Double.isNaN(a.confidence()));
      }
    }
  }

  @Test
  void shouldAnswerAnOpenQuestionWithTheStrippedReply() throws IOException {
    server.then(ChatCompletionsServer.Reply.content("  A cat sleeps on a sofa.\n"),
        ChatCompletionsServer.Reply.content(" \n "));
    final Question q = Question.open("What is on the sofa?").withRange(new TimeRange(5_000_000, 12_000_000));
    try (OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(config())) {
      final Answer a = answerer.answer(q, frames(2), 0, 30_000_000L);
      assertEquals(Answer.Status.ANSWERED, a.status());
      assertEquals("A cat sleeps on a sofa.", a.text());
      assertEquals(-1, a.choice());
      final Answer blank = answerer.answer(q, frames(2), 0, 30_000_000L);
      assertEquals(Answer.Status.PARSE_FAILURE, blank.status());
      assertEquals(" \n ", blank.raw());
    }
    final JsonNode body = body(0);
    assertEquals(OpenAiConfig.OPEN_MAX_TOKENS, body.path("max_tokens").asInt());
    final JsonNode parts = body.path("messages").path(1).path("content");
    assertEquals("The question is about the part from 0:00:05.000 to 0:00:12.000.\nWhat is on the sofa?",
        parts.path(parts.size() - 1).path("text").asText());
  }

  @Test
  void shouldAcceptContentGivenAsTextParts() {
    server.then(ChatCompletionsServer.Reply.status(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"(C)\"}]}}]}"));
    assertEquals(2, ask(config(), PETS, frames(1)).choice());
  }

  @Test
  void shouldSendTextAloneWhenThereAreNoKeyframes() throws IOException {
    server.then(ChatCompletionsServer.Reply.content("A"));
    final Answer a = ask(config(), PETS, List.of());
    assertEquals(0, a.choice());
    assertTrue(a.evidence().isEmpty());
    final JsonNode parts = body(0).path("messages").path(1).path("content");
    assertEquals(2, parts.size());
    assertEquals("The video lasts 0:00:30. No frames are attached: answer from the text alone.",
        parts.path(0).path("text").asText());
    assertFalse(body(0).toString().contains("image_url"));
  }

  @Test
  void shouldSendTheLargestShareKeyframesInTimeOrderWhenThereAreTooMany() throws IOException {
    server.then(ChatCompletionsServer.Reply.content("A"));
    final double[] shares = {0.10, 0.40, 0.05, 0.30, 0.15};
    final List<Keyframe> frames = new ArrayList<>();
    for (int i = 0; i < shares.length; i++) {
      frames.add(new Keyframe(2_000_000L * (i + 1), shares[i], 0.2f, jpegs.get(i)));
    }
    final Answer a = ask(config().withMaxImages(3), PETS, frames);

    final JsonNode parts = body(0).path("messages").path(1).path("content");
    assertEquals(1 + 2 * 3 + 1, parts.size());
    assertTrue(parts.path(0).path("text").asText().contains("3 frames follow"));
    final int[] kept = {1, 3, 4};
    for (int j = 0; j < kept.length; j++) {
      final Keyframe k = frames.get(kept[j]);
      assertEquals("[t=" + TimeRange.format(k.ptsMicros()) + "]", parts.path(1 + 2 * j).path("text").asText());
      final String url = parts.path(2 + 2 * j).path("image_url").path("url").asText();
      assertArrayEquals(jpegs.get(kept[j]), Base64.getDecoder().decode(url.substring(DATA_URL.length())));
      assertEquals(k.ptsMicros(), a.evidence().get(j).startMicros());
      assertEquals(k.share(), a.evidence().get(j).score());
    }
  }

  @Test
  void shouldRefuseAKeyframeWithoutJpegBeforeSendingAnything() {
    final List<Keyframe> frames = new ArrayList<>(frames(2));
    frames.add(new Keyframe(20_000_000L, 0.5, 0.1f, null));
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ask(config(), PETS, frames));
    assertTrue(e.getMessage().contains("0:00:20.000") && e.getMessage().contains("no JPEG"), e.getMessage());
    assertTrue(server.requests().isEmpty());
  }

  @Test
  void shouldReportA401WithItsStatusWithoutRetryingOrRevealingTheKey() {
    server.always(ChatCompletionsServer.Reply.status(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\"}}"));
    final AnswerException e = assertThrows(AnswerException.class,
        () -> ask(config().withApiKey(KEY), PETS, frames(1)));
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertTrue(e.getMessage().contains("API key"), e.getMessage());
    assertTrue(e.getMessage().contains(server.baseUrl() + "/chat/completions"), e.getMessage());
    assertTrue(e.getMessage().contains("Incorrect API key provided"), "the server's explanation is kept");
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
    assertEquals(1, server.requests().size());
  }

  @Test
  void shouldPointAt404sToTheBaseUrlAndModelName() {
    final OpenAiConfig wrong = OpenAiConfig.of("http://127.0.0.1:" + server.port() + "/api", MODEL);
    final AnswerException e = assertThrows(AnswerException.class, () -> ask(wrong, PETS, frames(1)));
    assertTrue(e.getMessage().contains("404") && e.getMessage().contains("base URL")
        && e.getMessage().contains(MODEL), e.getMessage());
    assertEquals("/api/chat/completions", server.requests().get(0).path());
  }

  @Test
  void shouldRetryA500AndAnswer() {
    server.then(ChatCompletionsServer.Reply.status(500, "{\"error\":\"CUDA out of memory\"}"),
        ChatCompletionsServer.Reply.content("C"));
    final Answer a = ask(config(), PETS, frames(1));
    assertEquals(2, a.choice());
    assertEquals(2, server.requests().size());
  }

  @Test
  void shouldGiveUpOnRepeated500sAfterTheRetries() {
    server.always(ChatCompletionsServer.Reply.status(500, "{\"error\":\"CUDA out of memory\"}"));
    final OpenAiConfig c = config();
    final AnswerException e = assertThrows(AnswerException.class, () -> ask(c, PETS, frames(1)));
    assertEquals(c.maxRetries() + 1, server.requests().size());
    assertTrue(e.getMessage().contains("500") && e.getMessage().contains("CUDA out of memory")
        && e.getMessage().contains("3 attempts"), e.getMessage());
  }

  @Test
  void shouldRetryA429AfterItsRetryAfter() {
    server.then(ChatCompletionsServer.Reply.status(429, "{\"error\":\"rate limited\"}").withHeader("Retry-After", "0"),
        ChatCompletionsServer.Reply.content("D"));
    // A 10 s backoff shows that Retry-After, not the backoff, set the wait.
    final Answer a = ask(config().withRetryBackoff(Duration.ofSeconds(10)), PETS, frames(1));
    assertEquals(3, a.choice());
    assertEquals(2, server.requests().size());
    assertTrue(a.nanos() < Duration.ofSeconds(5).toNanos());
  }

  @Test
  void shouldReportATimeoutAfterTheRetries() {
    server.always(ChatCompletionsServer.Reply.content("A").delayed(10_000));
    final OpenAiConfig c = config().withRequestTimeout(Duration.ofMillis(300)).withMaxRetries(1);
    final AnswerException e = assertThrows(AnswerException.class, () -> ask(c, PETS, frames(1)));
    assertTrue(e.getMessage().contains("timeout") && e.getMessage().contains("300 ms")
        && e.getMessage().contains("2 attempts"), e.getMessage());
    assertEquals(2, server.requests().size());
  }

  @Test
  void shouldCallA200ThatIsNotAChatCompletionMalformed() {
    server.then(ChatCompletionsServer.Reply.status(200, "<html>proxy login</html>"),
        ChatCompletionsServer.Reply.status(200, "{\"object\":\"list\",\"data\":[]}"),
        ChatCompletionsServer.Reply.status(200,
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null},\"finish_reason\":\"length\"}]}"));
    try (OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(config())) {
      for (final String expected : List.of("proxy login", "\"data\":[]", "raise max tokens")) {
        final AnswerException e = assertThrows(AnswerException.class,
            () -> answerer.answer(PETS, frames(1), 0, 30_000_000L));
        assertTrue(e.getMessage().contains("malformed") && e.getMessage().contains(expected), e.getMessage());
      }
    }
    assertEquals(3, server.requests().size(), "a malformed 200 is not retried");
  }

  @Test
  void shouldSayTheServerIsNotRunningWhenTheConnectionIsRefused() throws IOException {
    final int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    final OpenAiConfig c = OpenAiConfig.of("http://127.0.0.1:" + port + "/v1", MODEL).withApiKey(KEY);
    final AnswerException e = assertThrows(AnswerException.class, () -> ask(c, PETS, frames(1)));
    assertTrue(e.getMessage().contains("connection refused") && e.getMessage().contains("is the server running")
        && e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
  }

  @Test
  void shouldRefuseToAnswerOnceClosed() {
    final OpenAiCompatibleAnswerer answerer = new OpenAiCompatibleAnswerer(config());
    answerer.close();
    answerer.close();
    assertThrows(IllegalStateException.class, () -> answerer.answer(PETS, frames(1), 0, 1));
  }
}
