package io.vidctx.qa.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Debian's headless Chromium driven over the Chrome DevTools Protocol, with the JDK's WebSocket
 * client and Jackson (no browser-automation dependency). Every wait is bounded by {@link #TIMEOUT},
 * and {@link #close()} kills the browser and its helper processes, so a test using it cannot hang
 * or leave a browser behind.
 *
 * <p>Sessions are flat ({@code Target.attachToTarget} with {@code flatten}): one WebSocket to the
 * browser, each page's commands and events tagged with its session id.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final Path DEFAULT = Path.of("/usr/bin/chromium");

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final int STDERR_TAIL_LINES = 40;

  private final Process process;
  private final Deque<String> stderrTail;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();
  private final WebSocket socket;

  private HeadlessChromium(final Process process, final Deque<String> stderrTail, final URI browserUrl)
      throws IOException {
    this.process = process;
    this.stderrTail = stderrTail;
    this.socket = get(HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(browserUrl, new Listener()), "connecting to " + browserUrl);
  }

  /** The browser to use: {@code $CHROMIUM}, else {@code /usr/bin/chromium}; null when not executable. */
  static @Nullable Path executable() {
    final String env = System.getenv("CHROMIUM");
    final Path p = env != null && !env.isBlank() ? Path.of(env) : DEFAULT;
    return Files.isExecutable(p) ? p : null;
  }

  /**
   * Starts a headless browser and connects to it. Its profile and its temporary files go under
   * {@code work}, so deleting that folder leaves nothing behind.
   *
   * @throws IOException it did not start, or did not announce its DevTools endpoint within the timeout
   */
  static HeadlessChromium launch(final Path executable, final Path work) throws IOException {
    final Path profile = Files.createDirectories(work.resolve("profile"));
    final Path tmp = Files.createDirectories(work.resolve("tmp"));
    final List<String> command = List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
        "--user-data-dir=" + profile.toAbsolutePath(), "--remote-debugging-port=0", "about:blank");
    final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("TMPDIR", tmp.toAbsolutePath().toString());
    final Process process = builder.start();
    try {
      final Deque<String> tail = new ArrayDeque<>();
      final CompletableFuture<String> url = new CompletableFuture<>();
      // Drains stderr for the browser's whole life: a full pipe would block it.
      final Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            synchronized (tail) {
              tail.addLast(line);
              if (tail.size() > STDERR_TAIL_LINES) {
                tail.removeFirst();
              }
            }
            final Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              url.complete(m.group(1));
            }
          }
        } catch (final IOException e) {
          // The pipe closes when the browser is killed; nothing to report.
        }
        url.completeExceptionally(new IOException("chromium exited before announcing DevTools"));
      }, "chromium-stderr");
      reader.setDaemon(true);
      reader.start();
      final String ws;
      try {
        ws = get(url, "waiting for 'DevTools listening on' from chromium");
      } catch (final IOException e) {
        throw new IOException(e.getMessage() + "; stderr:\n" + String.join("\n", snapshot(tail)), e);
      }
      return new HeadlessChromium(process, tail, URI.create(ws));
    } catch (final IOException | RuntimeException | Error e) {
      kill(process);
      throw e;
    }
  }

  /** The last lines chromium wrote to stderr, for failure messages. */
  String stderr() {
    return String.join("\n", snapshot(stderrTail));
  }

  private static List<String> snapshot(final Deque<String> tail) {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  ObjectNode params() {
    return json.createObjectNode();
  }

  /**
   * Sends a command and waits for its result.
   *
   * @param session a page's session id, or null for the browser
   * @throws IOException the browser answered with an error, or not within the timeout
   */
  JsonNode send(final @Nullable String session, final String method, final ObjectNode params) throws IOException {
    final int id = ids.incrementAndGet();
    final ObjectNode msg = json.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    if (session != null) {
      msg.put("sessionId", session);
    }
    final CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      get(socket.sendText(msg.toString(), true), "sending " + method);
      final JsonNode r = get(reply, method);
      if (r.has("error")) {
        throw new IOException(method + " failed: " + r.get("error"));
      }
      return r.path("result");
    } finally {
      pending.remove(id);
    }
  }

  /** A new page target, attached; returns its session id. */
  String openPage() throws IOException {
    final String target = send(null, "Target.createTarget", params().put("url", "about:blank")).path("targetId")
        .asText();
    return send(null, "Target.attachToTarget", params().put("targetId", target).put("flatten", true))
        .path("sessionId").asText();
  }

  /** Events received so far, a position to wait from. */
  int eventCount() {
    synchronized (events) {
      return events.size();
    }
  }

  /** The session's events named {@code method}, in order of arrival. */
  List<JsonNode> events(final String session, final String method) {
    synchronized (events) {
      return events.stream().filter(e -> session.equals(e.path("sessionId").asText())
          && method.equals(e.path("method").asText())).toList();
    }
  }

  /** Waits for the session's first event named {@code method} at or after position {@code from}. */
  JsonNode awaitEvent(final String session, final String method, final int from) throws IOException {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (events) {
      int i = from;
      while (true) {
        for (; i < events.size(); i++) {
          final JsonNode e = events.get(i);
          if (session.equals(e.path("sessionId").asText()) && method.equals(e.path("method").asText())) {
            return e.path("params");
          }
        }
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("no " + method + " within " + TIMEOUT.toSeconds() + " s; stderr:\n" + stderr());
        }
        try {
          events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for " + method, e);
        }
      }
    }
  }

  /** Evaluates a JavaScript expression in the page and returns its value (JSON-serialisable). */
  JsonNode evaluate(final String session, final String expression) throws IOException {
    final JsonNode r = send(session, "Runtime.evaluate", params().put("expression", expression)
        .put("returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new IOException("evaluating " + expression + " threw: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Kills the browser and its helpers (renderer, GPU, zygote), waiting for them to go. */
  @Override
  public void close() {
    socket.abort();
    kill(process);
  }

  private static void kill(final Process process) {
    final List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      for (final ProcessHandle child : children) {
        child.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (final ExecutionException | TimeoutException e) {
      // A helper that outlives the kill is reaped by init; the test's result does not depend on it.
    }
  }

  private static <T> T get(final CompletableFuture<T> future, final String what) throws IOException {
    try {
      return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (final TimeoutException e) {
      throw new IOException("timed out after " + TIMEOUT.toSeconds() + " s " + what, e);
    } catch (final ExecutionException e) {
      throw new IOException(what + " failed: " + e.getCause(), e.getCause());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted " + what, e);
    }
  }

  /** Joins message fragments, routes replies to their callers and keeps events. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public @Nullable CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
      message.append(data);
      if (last) {
        dispatch(message.toString());
        message.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(final WebSocket ws, final int status, final String reason) {
      failAll(new IOException("DevTools connection closed: " + status + " " + reason));
      return null;
    }

    @Override
    public void onError(final WebSocket ws, final Throwable error) {
      failAll(error);
    }

    private void dispatch(final String text) {
      final JsonNode node;
      try {
        node = json.readTree(text);
      } catch (final IOException e) {
        failAll(new IOException("unreadable DevTools message: " + text, e));
        return;
      }
      if (node.has("id")) {
        final CompletableFuture<JsonNode> reply = pending.get(node.get("id").asInt());
        if (reply != null) {
          reply.complete(node);
        }
        return;
      }
      synchronized (events) {
        events.add(node);
        events.notifyAll();
      }
    }

    private void failAll(final Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }
}
