package io.vidctx.encoder.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on 127.0.0.1 (the stand-in for a model host): serves byte arrays by path with
 * ETag and single-range support, records every request, and can break a response off part-way to
 * simulate a dropped connection.
 */
final class LoopbackFileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** One request as the server saw it. */
  record Request(String method, String path, String range, String ifRange) {}

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile boolean honourRanges = true;

  LoopbackFileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code body} at {@code path} (starting with '/'). */
  LoopbackFileServer serve(final String path, final byte[] body) {
    files.put(path, body.clone());
    return this;
  }

  /** The next full response for {@code path} breaks off after {@code bytes} bytes (once). */
  LoopbackFileServer cutNextResponseAfter(final String path, final int bytes) {
    cutAfter.put(path, bytes);
    return this;
  }

  /** Whether Range headers are honoured (false: always the whole file with 200, like some servers). */
  LoopbackFileServer honourRanges(final boolean honour) {
    honourRanges = honour;
    return this;
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  URI url(final String path) {
    return URI.create(base() + path);
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  List<Request> requestsFor(final String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(final HttpExchange ex) throws IOException {
    final String path = ex.getRequestURI().getPath();
    final String range = ex.getRequestHeaders().getFirst("Range");
    final String ifRange = ex.getRequestHeaders().getFirst("If-Range");
    requests.add(new Request(ex.getRequestMethod(), path, range, ifRange));
    final byte[] body = files.get(path);
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    final String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"";
    ex.getResponseHeaders().add("ETag", etag);
    ex.getResponseHeaders().add("Accept-Ranges", "bytes");
    int start = 0;
    int status = 200;
    final Matcher m = range == null ? null : RANGE.matcher(range);
    if (honourRanges && m != null && m.matches() && (ifRange == null || ifRange.equals(etag))) {
      start = Integer.parseInt(m.group(1));
      if (start >= body.length) {
        ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
        ex.sendResponseHeaders(416, -1);
        ex.close();
        return;
      }
      status = 206;
      ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
    }
    final int length = body.length - start;
    ex.sendResponseHeaders(status, length);
    final Integer cut = status == 200 ? cutAfter.remove(path) : null;
    final OutputStream out = ex.getResponseBody();
    if (cut != null) {
      out.write(body, start, cut);
      out.flush();
      // Throwing makes the server drop the connection with the body unfinished, as a network failure would.
      throw new IOException("simulated connection drop after " + cut + " bytes");
    }
    out.write(body, start, length);
    out.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
