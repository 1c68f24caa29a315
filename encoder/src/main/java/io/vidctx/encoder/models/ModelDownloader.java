package io.vidctx.encoder.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.manifest.ModelManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Downloads model files over HTTP(S) with {@link HttpClient}: into {@code <file>.part}, resumed with
 * {@code Range: bytes=N-} (and {@code If-Range} with the server's ETag) when an earlier attempt left
 * a part, sha256 computed while streaming, size and checksum checked, then renamed atomically onto
 * the final name. A checksum or size mismatch deletes the part: a bad file is never left where a
 * later run could mistake it for a good one. A broken connection keeps the part so the next run
 * resumes.
 *
 * <p>Redirects are followed (Hugging Face serves files from a CDN) except from HTTPS to HTTP. The
 * connect timeout bounds connection set-up, the request timeout the wait for response headers; a
 * transfer that stalls mid-body is not timed out by {@link HttpClient} and is left to the user's
 * Ctrl-C (the part is kept and resumed).
 */
public final class ModelDownloader {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");
  private static final int BUFFER = 1 << 16;

  private final HttpClient client;
  private final Duration requestTimeout;

  /**
   * @param connectTimeout bound on opening a connection
   * @param requestTimeout bound on waiting for a response's headers
   */
  public ModelDownloader(final Duration connectTimeout, final Duration requestTimeout) {
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    this.requestTimeout = requestTimeout;
  }

  /** 20 s to connect, 60 s for response headers. */
  public static ModelDownloader withDefaults() {
    return new ModelDownloader(Duration.ofSeconds(20), Duration.ofSeconds(60));
  }

  /**
   * Downloads every file of {@code entry} into {@code modelsDir/<name>/}, then writes {@code
   * checksums.json} and, last, the {@code vidctx-model.json} manifest with every file's sha256; a
   * folder with a manifest is therefore a complete pull. Files already complete (checksum equal to
   * the published one, or to the one recorded by an earlier pull when none is published) are reused.
   *
   * @param urlBase a mirror: files are fetched from {@code <urlBase>/<name>/<file>} instead of the
   *     publisher's URLs; null for the publisher
   */
  public PullResult pull(
      final CatalogEntry entry, final Path modelsDir, final @Nullable URI urlBase, final DownloadListener listener) {
    final Path dir = modelsDir.resolve(entry.name());
    try {
      Files.createDirectories(dir);
    } catch (final IOException e) {
      throw new EncoderException("cannot create model folder " + dir + ": " + e.getMessage(), e);
    }
    final Optional<Checksums> earlier = Checksums.read(dir);
    final List<DownloadedFile> done = new ArrayList<>();
    final List<Checksums.Entry> records = new ArrayList<>();
    for (final CatalogFile f : entry.files()) {
      final URI url = urlBase == null ? toUri(f.url()) : mirrorUrl(urlBase, entry.name(), f.name());
      final String trusted = f.sha256() != null
          ? f.sha256()
          : earlier.flatMap(c -> c.find(f.name())).map(Checksums.Entry::sha256).orElse(null);
      final DownloadedFile got = download(url, dir.resolve(f.name()), f.sha256(), trusted, f.sizeBytes(), listener);
      done.add(got);
      records.add(new Checksums.Entry(f.name(), url.toString(), got.bytes(), got.sha256(), f.published(), f.source()));
    }
    new Checksums(entry.name(), records).write(dir);
    final Map<String, String> sums = new LinkedHashMap<>();
    for (final DownloadedFile d : done) {
      sums.put(d.name(), d.sha256());
    }
    final ModelManifest m = entry.manifest();
    final ModelManifest withSums = new ModelManifest(m.name(), m.description(), m.vision(), m.text(), sums);
    final Path manifest = dir.resolve(ModelManifest.FILE_NAME);
    try {
      writeAtomically(manifest, new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
          .writeValueAsBytes(withSums));
    } catch (final IOException e) {
      throw new EncoderException("cannot write " + manifest + ": " + e.getMessage(), e);
    }
    return new PullResult(entry.name(), dir, manifest, dir.resolve(Checksums.FILE_NAME), done);
  }

  /**
   * Downloads one file to {@code target}.
   *
   * @param publishedSha256 the publisher's checksum: the download must match it; null when none is
   *     published (the computed one is returned and marked unpublished)
   * @param trustedSha256 a checksum an existing {@code target} may be reused under without
   *     downloading (the published one, or one recorded earlier); null: an existing target is replaced
   * @param expectedSize exact size when known; a different size is an error
   */
  public DownloadedFile download(
      final URI url,
      final Path target,
      final @Nullable String publishedSha256,
      final @Nullable String trustedSha256,
      final @Nullable Long expectedSize,
      final DownloadListener listener) {
    final String name = target.getFileName().toString();
    final boolean published = publishedSha256 != null;
    if (Files.isRegularFile(target) && trustedSha256 != null) {
      final String have = Checksums.sha256(target);
      if (have.equals(trustedSha256)) {
        final long size = size(target);
        listener.reused(name, size);
        return new DownloadedFile(target, url.toString(), size, have, published, 0, true);
      }
    }
    final Path part = target.resolveSibling(name + ".part");
    final Path etagFile = target.resolveSibling(name + ".part.etag");
    long total = -1;
    long resumedFrom = 0;
    MessageDigest md = Checksums.newDigest();
    boolean complete = false;
    // Two rounds at most: the second only after the server refused to resume (a restart from 0).
    for (int round = 0; round < 2 && !complete; round++) {
      final long offset = Files.isRegularFile(part) ? size(part) : 0;
      final HttpRequest.Builder rb = HttpRequest.newBuilder(url)
          .timeout(requestTimeout)
          .header("User-Agent", "vidctx")
          .GET();
      final String etag = offset > 0 ? readEtag(etagFile) : null;
      if (offset > 0) {
        rb.header("Range", "bytes=" + offset + "-");
        if (etag != null) {
          rb.header("If-Range", etag);
        }
      }
      final HttpResponse<InputStream> resp = send(rb.build(), url);
      final int status = resp.statusCode();
      long start;
      if (status == 206 && offset > 0) {
        final Matcher cr = CONTENT_RANGE.matcher(resp.headers().firstValue("Content-Range").orElse(""));
        if (!cr.matches() || Long.parseLong(cr.group(1)) != offset) {
          closeQuietly(resp.body());
          deleteQuietly(part);
          deleteQuietly(etagFile);
          continue;
        }
        start = offset;
        total = cr.group(3).equals("*") ? -1 : Long.parseLong(cr.group(3));
      } else if (status == 200) {
        start = 0;
        total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      } else if (status == 416 && offset > 0) {
        closeQuietly(resp.body());
        final Matcher ur = UNSATISFIED_RANGE.matcher(resp.headers().firstValue("Content-Range").orElse(""));
        if (ur.matches() && Long.parseLong(ur.group(1)) == offset) {
          // The part already holds the whole file (the earlier run died between the last byte and the rename).
          total = offset;
          md = digestOf(part);
          resumedFrom = offset;
          complete = true;
          break;
        }
        deleteQuietly(part);
        deleteQuietly(etagFile);
        continue;
      } else {
        closeQuietly(resp.body());
        throw httpError(status, url, name);
      }
      if (expectedSize != null && total >= 0 && total != expectedSize) {
        closeQuietly(resp.body());
        deleteQuietly(part);
        deleteQuietly(etagFile);
        throw new EncoderException("size mismatch for " + name + " from " + url + ": the server announces " + total
            + " bytes, the catalog lists " + expectedSize + "; the file changed upstream or the mirror serves another"
            + " file. Nothing was kept.");
      }
      resp.headers().firstValue("ETag").ifPresent(v -> writeEtag(etagFile, v));
      md = start > 0 ? digestOf(part) : Checksums.newDigest();
      resumedFrom = start;
      listener.started(name, url, start, total);
      stream(resp.body(), part, start, total, md, url, name, listener);
      complete = true;
    }
    if (!complete) {
      throw new EncoderException("cannot resume " + name + " from " + url + ": the server answered a range request"
          + " with a different range twice; delete " + part + " and try again");
    }
    final long size = size(part);
    if (total >= 0 && size < total) {
      throw new EncoderException("download of " + name + " from " + url + " stopped at " + size + " of " + total
          + " bytes; run the pull again to resume from " + part);
    }
    final String actual = HexFormat.of().formatHex(md.digest());
    if (expectedSize != null && size != expectedSize) {
      deleteQuietly(part);
      deleteQuietly(etagFile);
      throw new EncoderException("size mismatch for " + name + " from " + url + ": got " + size + " bytes, the catalog"
          + " lists " + expectedSize + ". Nothing was kept.");
    }
    if (published && !actual.equals(publishedSha256)) {
      deleteQuietly(part);
      deleteQuietly(etagFile);
      throw new EncoderException("checksum mismatch for " + name + " downloaded from " + url + ": expected sha256 "
          + publishedSha256 + ", got " + actual + " (" + size + " bytes). The corrupt download was deleted, nothing"
          + " was kept. Run the pull again; if it fails the same way the file changed upstream or the mirror"
          + " (--url-base) serves another file: check the publisher's page and update the catalog entry.");
    }
    try {
      moveAtomically(part, target);
    } catch (final IOException e) {
      throw new EncoderException("cannot move " + part + " to " + target + ": " + e.getMessage(), e);
    }
    deleteQuietly(etagFile);
    return new DownloadedFile(target, url.toString(), size, actual, published, resumedFrom, false);
  }

  private HttpResponse<InputStream> send(final HttpRequest request, final URI url) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (final HttpConnectTimeoutException e) {
      throw new EncoderException("connecting to " + hostOf(url) + " timed out; check the network, a proxy, or use a"
          + " mirror with --url-base", e);
    } catch (final HttpTimeoutException e) {
      throw new EncoderException("no response from " + hostOf(url) + " within " + requestTimeout.toSeconds()
          + " s for " + url + "; try again later", e);
    } catch (final ConnectException e) {
      throw new EncoderException("cannot connect to " + hostOf(url) + " (connection refused or unreachable) for "
          + url + "; check the network, or the mirror given with --url-base", e);
    } catch (final IOException e) {
      throw new EncoderException("request for " + url + " failed: " + e, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EncoderException("download of " + url + " interrupted", e);
    }
  }

  private static void stream(final InputStream body, final Path part, final long start, final long total,
      final MessageDigest md, final URI url, final String name, final DownloadListener listener) {
    long done = start;
    final byte[] buf = new byte[BUFFER];
    final StandardOpenOption mode = start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (InputStream in = body;
        OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        md.update(buf, 0, n);
        done += n;
        listener.progress(name, done, total);
      }
    } catch (final IOException e) {
      throw new EncoderException("download of " + name + " from " + url + " broke off after " + done
          + (total >= 0 ? " of " + total : "") + " bytes (" + e.getMessage() + "); run the pull again to resume from "
          + part, e);
    }
  }

  private static EncoderException httpError(final int status, final URI url, final String name) {
    if (status == 404 || status == 410) {
      return new EncoderException("not found (HTTP " + status + "): " + url + " for " + name + "; the catalog entry"
          + " is out of date or the mirror (--url-base) lacks the file");
    }
    if (status == 401 || status == 403) {
      return new EncoderException("access denied (HTTP " + status + ") for " + url + "; the file may be gated"
          + " (accept its licence on the publisher's page) or the mirror needs credentials");
    }
    if (status >= 500) {
      return new EncoderException("server error (HTTP " + status + ") for " + url + "; try again later (a partial"
          + " download is kept and resumed)");
    }
    return new EncoderException("unexpected HTTP " + status + " for " + url);
  }

  private static MessageDigest digestOf(final Path part) {
    final MessageDigest md = Checksums.newDigest();
    final byte[] buf = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(part)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (final IOException e) {
      throw new EncoderException("cannot read partial download " + part + ": " + e.getMessage(), e);
    }
    return md;
  }

  static URI mirrorUrl(final URI base, final String model, final String file) {
    final String b = base.toString();
    return toUri((b.endsWith("/") ? b : b + "/") + model + "/" + file);
  }

  private static URI toUri(final String s) {
    try {
      final URI u = URI.create(s);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new EncoderException("not an http(s) URL: " + s);
      }
      return u;
    } catch (final IllegalArgumentException e) {
      throw new EncoderException("bad URL '" + s + "': " + e.getMessage(), e);
    }
  }

  private static String hostOf(final URI url) {
    return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
  }

  private static long size(final Path p) {
    try {
      return Files.size(p);
    } catch (final IOException e) {
      throw new EncoderException("cannot read the size of " + p + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable String readEtag(final Path f) {
    try {
      return Files.isRegularFile(f) ? Files.readString(f).strip() : null;
    } catch (final IOException e) {
      return null;
    }
  }

  private static void writeEtag(final Path f, final String etag) {
    try {
      Files.writeString(f, etag);
    } catch (final IOException e) {
      // Without the ETag a resume just goes without If-Range; the final checksum still guards it.
    }
  }

  private static void closeQuietly(final InputStream in) {
    try {
      in.close();
    } catch (final IOException e) {
      // The response is abandoned anyway.
    }
  }

  private static void deleteQuietly(final Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (final IOException e) {
      // Best effort: a leftover part is re-checked by the next run.
    }
  }

  /** Writes {@code bytes} to a temporary sibling and renames it onto {@code target}. */
  static void writeAtomically(final Path target, final byte[] bytes) throws IOException {
    final Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    moveAtomically(tmp, target);
  }

  private static void moveAtomically(final Path from, final Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (final AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
