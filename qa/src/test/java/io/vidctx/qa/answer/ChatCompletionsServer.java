package io.vidctx.qa.answer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on 127.0.0.1 speaking the chat-completions shape (the stand-in for vLLM or
 * llama.cpp server): {@code POST /v1/chat/completions} answers with the next scripted {@link Reply}
 * (or the standing one once the script is used up); any other path is a 404 as from a real server.
 * Every request is recorded with its headers and body.
 */
public final class ChatCompletionsServer implements AutoCloseable {
  public static final String PATH = "/v1/chat/completions";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the server saw it. */
  public record Request(String method, String path, Headers headers, String body) {
    public @Nullable String header(final String name) {
      return headers.getFirst(name);
    }
  }

  /**
   * A scripted response.
   *
   * @param delayMillis how long to hold the response back before its headers (cut short by {@link #close()})
   */
  public record Reply(int status, String body, Map<String, String> headers, long delayMillis) {
    /** A 200 chat completion whose message content is {@code content}. */
    public static Reply content(final String content) {
      final ObjectNode root = JSON.createObjectNode();
      root.put("id", "chatcmpl-test").put("object", "chat.completion").put("model", "test-model");
      final ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", content);
      root.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
      return new Reply(200, root.toString(), Map.of(), 0);
    }

    public static Reply status(final int status, final String body) {
      return new Reply(status, body, Map.of(), 0);
    }

    public Reply withHeader(final String name, final String value) {
      final Map<String, String> h = new HashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, Map.copyOf(h), delayMillis);
    }

    public Reply delayed(final long millis) {
      return new Reply(status, body, headers, millis);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Reply standing = Reply.content("A");

  public ChatCompletionsServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // Handlers run on their own threads: a delayed reply must not hold up the retry that follows it.
    server.setExecutor(executor);
    server.start();
  }

  /** Queues replies for the next requests, in order. */
  public ChatCompletionsServer then(final Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** The reply for every request once the queued ones are used up. */
  public ChatCompletionsServer always(final Reply reply) {
    standing = reply;
    return this;
  }

  /** The base URL a client should be given: {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  private void handle(final HttpExchange ex) throws IOException {
    final String body;
    try (InputStream in = ex.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    final Headers headers = new Headers();
    headers.putAll(ex.getRequestHeaders());
    final String path = ex.getRequestURI().getPath();
    requests.add(new Request(ex.getRequestMethod(), path, headers, body));
    final Reply scripted = script.poll();
    Reply reply = scripted != null ? scripted : standing;
    if (!path.equals(PATH) || !ex.getRequestMethod().equals("POST")) {
      reply = Reply.status(404, "{\"detail\":\"Not Found\"}");
    }
    if (reply.delayMillis() > 0) {
      try {
        closing.await(reply.delayMillis(), TimeUnit.MILLISECONDS);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    final byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    try (OutputStream os = ex.getResponseBody()) {
      ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        os.write(out);
      }
    } catch (final IOException e) {
      // The client gave up (a timeout test): nothing to answer to.
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
