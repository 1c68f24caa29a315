package io.vidctx.plugins.query;

import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.plugins.compress.MemoryStore;
import io.vidctx.plugins.errors.StageException;
import io.vidctx.plugins.metrics.StageMetrics;
import io.vidctx.qa.Answer;
import io.vidctx.qa.AnswerException;
import io.vidctx.qa.Answerer;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * The query stage: a {@link QueryRequest} (key = stream id) is answered from that stream's memory
 * in the {@link MemoryStore} and a {@link QueryAnswer} is forwarded (same key). The queries topic
 * must be co-partitioned with the topic that feeds the compress stage (same partition count, same
 * key), so a stream's queries reach the task that holds its memory. Connect the store by name:
 * {@code stream.process(supplier, stage.storeName())} or {@code connectProcessorAndStateStores}.
 *
 * <p>The memory read is the stream's state at the moment the query is processed: every frame
 * before the query in the task's input order, the unit in progress included.
 *
 * <p>A query that cannot be answered from its own content (unknown stream, undecodable image, a
 * range outside the video) gets an {@code ERROR} answer, so the caller is not left waiting, and the
 * query record goes to the dead-letter topic with the reason. If the answerer fails, the answer
 * says so; the query is not dead-lettered (nothing is wrong with it).
 */
public final class QuerySupplier implements ProcessorSupplier<String, QueryRequest, String, QueryAnswer> {
  private final QueryStage stage;
  private final VisionEncoder vision;
  private final @Nullable TextEncoder text;

  /**
   * @param vision the encoder the memories were built with (image queries are encoded by it); shared
   *     and owned by the caller
   * @param text the matching text tower, or null (then text questions select by coverage)
   */
  public QuerySupplier(final QueryStage stage, final VisionEncoder vision, final @Nullable TextEncoder text) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.vision = Objects.requireNonNull(vision, "vision");
    this.text = text;
  }

  @Override
  public Processor<String, QueryRequest, String, QueryAnswer> get() {
    return new QueryProcessor();
  }

  private final class QueryProcessor extends ContextualProcessor<String, QueryRequest, String, QueryAnswer> {
    private @Nullable KeyValueStore<String, byte[]> store;
    private @Nullable Sensor queries;
    private final ImageCodec codec = new ImageCodec();
    private final ContextBuilder contexts = new ContextBuilder(new QueryAwareSelector(), stage.keyframes());
    private final QueryEncoder encoder = new QueryEncoder(vision, text, stage.compressor());

    @Override
    public void init(final ProcessorContext<String, QueryAnswer> context) {
      super.init(context);
      store = context.getStateStore(stage.storeName());
      queries = StageMetrics.sensor(context, QueryStage.NAME);
    }

    @Override
    public void process(final Record<String, QueryRequest> record) {
      final long t0 = System.nanoTime();
      final QueryRequest q = record.value();
      final String streamId = record.key();
      if (q == null) {
        throw new StageException(QueryStage.NAME, "a query record without a value (tombstone?)");
      }
      if (streamId == null || streamId.isEmpty()) {
        throw refuse(record, q, "", "query " + q.id() + " has no key: the key must be the id of the stream to ask about");
      }
      Objects.requireNonNull(queries).record();
      final Optional<VideoMemory> found;
      try {
        found = MemoryStore.snapshot(Objects.requireNonNull(store), stage.compressor(), streamId);
      } catch (final IllegalArgumentException e) {
        throw refuse(record, q, streamId, e.getMessage());
      }
      if (found.isEmpty() || found.get().tokenCount() == 0) {
        throw refuse(record, q, streamId, "unknown stream '" + streamId + "': no frames of it reached this task (partition "
            + context().taskId().partition() + "). Check the stream id, and that the queries topic has as many"
            + " partitions as the frames topic");
      }
      final VideoMemory memory = found.get();
      final DecodedImage image = image(record, q, streamId);
      final Question question;
      final EncodedQuery encoded;
      final VideoContext built;
      try {
        question = new Question(q.question(), q.choices() == null ? List.of() : q.choices(), range(q, memory));
        encoded = encoder.encode(q.question(), image);
        built = contexts.build(memory, stage.model(), question, encoded,
            q.budget() == null ? stage.defaultBudget() : q.budget());
      } catch (final IllegalArgumentException | EncoderException e) {
        throw refuse(record, q, streamId, e.getMessage());
      }
      Answer answer;
      try (Answerer answerer = new EmbeddingChoiceAnswerer(text)) {
        answer = answerer.answer(question, built);
      } catch (final AnswerException e) {
        context().forward(record.withValue(QueryAnswer.error(q.id(), streamId, "no answer: " + e.getMessage(),
            System.currentTimeMillis())));
        return;
      }
      context().forward(record.withValue(toAnswer(q, streamId, memory, built, answer, (System.nanoTime() - t0) / 1e6)));
    }

    private @Nullable DecodedImage image(final Record<String, QueryRequest> record, final QueryRequest q,
        final String streamId) {
      byte[] bytes = null;
      if (q.image() != null) {
        try {
          bytes = Base64.getMimeDecoder().decode(q.image());
        } catch (final IllegalArgumentException e) {
          throw refuse(record, q, streamId, "query " + q.id() + ": \"image\" is not base64: " + e.getMessage());
        }
      } else if (q.imageUri() != null) {
        bytes = readUri(record, q, streamId);
      }
      if (bytes == null) {
        return null;
      }
      final ImageFormat format;
      if (bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8) {
        format = ImageFormat.JPEG;
      } else if (bytes.length > 4 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
        format = ImageFormat.PNG;
      } else {
        throw refuse(record, q, streamId, "query " + q.id() + ": the image is neither JPEG nor PNG (" + bytes.length + " bytes)");
      }
      try {
        return codec.decode(bytes, format);
      } catch (final IngestException e) {
        throw refuse(record, q, streamId, "query " + q.id() + ": the image cannot be decoded: " + e.getMessage());
      }
    }

    private byte[] readUri(final Record<String, QueryRequest> record, final QueryRequest q, final String streamId) {
      try {
        final URI uri = URI.create(Objects.requireNonNull(q.imageUri()));
        if (!"file".equals(uri.getScheme())) {
          throw refuse(record, q, streamId, "query " + q.id() + ": imageUri must be a file: URI, was " + q.imageUri());
        }
        final Path dir = stage.imageDir();
        final Path file = Path.of(uri).toAbsolutePath().normalize();
        if (dir == null || !file.startsWith(dir)) {
          throw refuse(record, q, streamId, "query " + q.id() + ": imageUri must name a file in the query image folder ("
              + "vidctx.query.image.dir" + (dir == null ? ", not set: send the image inline as \"image\")"
              : " = " + dir + ")"));
        }
        return Files.readAllBytes(file);
      } catch (final IllegalArgumentException | IOException e) {
        throw refuse(record, q, streamId, "query " + q.id() + ": cannot read imageUri " + q.imageUri() + " ("
            + e.getClass().getSimpleName() + ")");
      }
    }

    /**
     * Answers ERROR, and returns the exception to throw so the query goes to the dead-letter topic
     * (callers write {@code throw refuse(...)}).
     */
    private StageException refuse(final Record<String, QueryRequest> record, final QueryRequest q,
        final String streamId, final String reason) {
      context().forward(record.withValue(QueryAnswer.error(q.id(), streamId, reason, System.currentTimeMillis())));
      return new StageException(QueryStage.NAME, reason);
    }
  }

  private static @Nullable TimeRange range(final QueryRequest q, final VideoMemory memory) {
    if (q.fromSeconds() != null && q.toSeconds() != null) {
      return new TimeRange(Math.round(q.fromSeconds() * 1e6), Math.round(q.toSeconds() * 1e6));
    }
    if (q.lastSeconds() != null) {
      final long end = memory.segments().get(memory.segments().size() - 1).endPts();
      return TimeRange.last(Math.round(q.lastSeconds() * 1e6), end);
    }
    return null;
  }

  private static QueryAnswer toAnswer(final QueryRequest q, final String streamId, final VideoMemory memory,
      final VideoContext context, final Answer a, final double millis) {
    final List<QueryAnswer.Evidence> evidence = new ArrayList<>(a.evidence().size());
    for (final EvidenceRange e : a.evidence()) {
      evidence.add(new QueryAnswer.Evidence(e.startMicros() / 1e6, e.endMicros() / 1e6, e.score()));
    }
    return new QueryAnswer(q.id(), streamId, a.status().name(), a.text(), a.choice() >= 0 ? a.choice() : null,
        a.choice() >= 0 ? a.letter() : null, Double.isNaN(a.confidence()) ? null : a.confidence(),
        a.atMicros() >= 0 ? a.atMicros() / 1e6 : null, evidence, null, memory.framesIn(), memory.tokenCount(),
        context.selection().size(), context.selection().reduction(), context.queryKind().name(), context.notes(),
        a.answerer(), System.currentTimeMillis(), millis);
  }
}
