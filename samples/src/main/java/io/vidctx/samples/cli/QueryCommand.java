package io.vidctx.samples.cli;

import io.vidctx.plugins.VidctxConfig;
import io.vidctx.plugins.query.QueryAnswer;
import io.vidctx.plugins.query.QueryRequest;
import io.vidctx.plugins.serde.JsonSerde;
import io.vidctx.qa.Question;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidctx query}: one question to a running {@code vidctx stream}, through Kafka, and its answer. */
@Command(
    name = "query",
    header = "Ask a stream that 'vidctx stream' is compressing a question, through Kafka.",
    description = {
      "Sends the question as a JSON query record (key = <stream-id>) to vidctx.queries and waits for the answer"
          + " with the same id on vidctx.answers (read committed, from the end as it was before sending). The"
          + " answer comes from the stream's compressed memory as it is when 'vidctx stream' reads the query.",
      "",
      "--image sends an example picture inline (at most 700 KB); --image-ref sends the file's path instead, which"
          + " must lie in the folder 'vidctx stream' was given as --query-image-dir. --bootstrap-servers is required: the servers 'vidctx stream'"
          + " runs against (it prints the address of its embedded broker)."
    },
    showDefaultValues = true,
    footer = {"", "See 'vidctx help <command>' for the options of another command."})
public final class QueryCommand implements Callable<Integer> {
  /** Largest picture sent inline: base64 makes it 4/3 larger, and the record must stay under Kafka's 1 MB default. */
  public static final long MAX_INLINE_IMAGE_BYTES = 700 * 1024;
  private static final Duration POLL = Duration.ofMillis(200);

  @Parameters(index = "0", paramLabel = "<stream-id>", description = "The stream to ask about (the publish --stream-id).")
  String streamId;

  @Parameters(index = "1", paramLabel = "<question>", description = "The question.")
  String question;

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "<host:port,...>",
      description = "Kafka bootstrap servers that 'vidctx stream' uses (required).")
  @Nullable String bootstrapServers;

  @Option(names = "--image", paramLabel = "<file>",
      description = "An example picture of what to look for (JPEG or PNG, sent inline, at most 700 KB).")
  @Nullable Path image;

  @Option(names = "--image-ref", paramLabel = "<file>",
      description = "The same by reference: its file: URI is sent, the stream app reads the file.")
  @Nullable Path imageRef;

  @Option(names = "--choices", paramLabel = "<a|b|c>", description = "Multiple-choice options separated by '|'.")
  @Nullable String choices;

  @Option(names = "--between", paramLabel = "<start,end>", converter = TimeRangeConverter.class,
      description = "Only this part of the stream, e.g. 00:05,00:12.")
  @Nullable TimeRange between;

  @Option(names = "--last", paramLabel = "<duration>", converter = TimeRangeConverter.Duration.class,
      description = "Only the last part of the stream, e.g. 10m, 90s, 1h.")
  @Nullable Long last;

  @Option(names = "--budget", paramLabel = "<tokens>",
      description = "Most tokens in the context (default: the stream app's, 4096).")
  @Nullable Integer budget;

  @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "60s", converter = TimeRangeConverter.Duration.class,
      description = "How long to wait for the answer.")
  long timeoutMicros;

  @Option(names = "--id", paramLabel = "<id>", description = "Query id, echoed in the answer (default: a random UUID).")
  @Nullable String id;

  @Option(names = "--json", description = "Print the answer record's JSON as received.")
  boolean json;

  @Mixin LoggingMixin logging;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    final Terminal term = logging.terminal(json);
    final QueryRequest request = request();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw CliException.invalidInput("--bootstrap-servers is required: give the servers 'vidctx stream' runs against"
          + " (it prints the address of its embedded broker); a broker started for this command would hold no stream");
    }
    final String servers = bootstrapServers;
    final VidctxConfig config = VidctxConfig.defaults();
    final String queries = config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG);
    final String answers = config.getString(VidctxConfig.ANSWERS_TOPIC_CONFIG);
    final String running = "is `vidctx stream` running against " + servers;
    final long t0 = System.nanoTime();
    final long deadline = t0 + timeoutMicros * 1000;
    requireTopics(servers, List.of(queries, answers), deadline, running);
    final byte[] json = new JsonSerde<>(QueryRequest.class).serialize(queries, request);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(servers));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(servers))) {
      // The consumer's place is fixed before the query leaves, so the answer cannot be missed.
      final List<TopicPartition> parts = new ArrayList<>();
      for (final PartitionInfo p : consumer.partitionsFor(answers, remaining(deadline))) {
        parts.add(new TopicPartition(p.topic(), p.partition()));
      }
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      for (final TopicPartition tp : parts) {
        consumer.position(tp, remaining(deadline));
      }
      term.detail("query %s to %s on %s: %s", request.id(), queries, servers, new String(json, StandardCharsets.UTF_8)
          .replaceAll("\"image\":\"[^\"]*\"", "\"image\":\"...\""));
      try {
        producer.send(new ProducerRecord<>(queries, streamId, json)).get(remaining(deadline).toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (final ExecutionException e) {
        throw new CliException(ExitCode.ERROR, "cannot send the query to topic '" + queries + "' on " + servers + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (final TimeoutException e) {
        throw new CliException(ExitCode.ERROR, "the query could not be sent to " + servers + " within "
            + duration(timeoutMicros) + ": " + running + "?", e);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.ERROR, "interrupted while sending the query", e);
      }
      final ConsumerRecord<String, byte[]> found = awaitAnswer(consumer, request.id(), deadline);
      if (found == null) {
        throw new CliException(ExitCode.ERROR, "no answer within " + duration(timeoutMicros) + ": " + running
            + ", and does stream '" + streamId + "' exist?");
      }
      final QueryAnswer a = new JsonSerde<>(QueryAnswer.class).deserialize(answers, found.value());
      final double roundTripMillis = (System.nanoTime() - t0) / 1e6;
      if (this.json) {
        term.out().println(new String(found.value(), StandardCharsets.UTF_8));
        term.out().flush();
      } else {
        print(term, a, roundTripMillis);
      }
      if (QueryAnswer.ERROR.equals(a.status())) {
        throw new CliException(ExitCode.ERROR, "no answer about stream '" + streamId + "': " + a.error());
      }
      return ExitCode.OK;
    } catch (final KafkaException e) {
      throw new CliException(ExitCode.ERROR, "Kafka at " + servers + ": " + e.getMessage(), e);
    }
  }

  /** The query record, every option checked (exit 2 naming the option). */
  private QueryRequest request() {
    if (streamId.isBlank()) {
      throw CliException.invalidInput("<stream-id> must not be empty");
    }
    final List<String> options = choices == null ? List.of()
        : Arrays.stream(choices.split("\\|", -1)).map(String::strip).toList();
    try {
      new Question(question, options, null);
    } catch (final IllegalArgumentException e) {
      throw CliException.invalidInput((choices == null ? "" : "--choices: ") + e.getMessage());
    }
    if (image != null && imageRef != null) {
      throw CliException.invalidInput("--image and --image-ref exclude each other: give one");
    }
    if (between != null && last != null) {
      throw CliException.invalidInput("--between and --last exclude each other: give one");
    }
    if (budget != null && budget < 1) {
      throw CliException.invalidInput("--budget must be >= 1 token, was " + budget);
    }
    if (id != null && id.isBlank()) {
      throw CliException.invalidInput("--id must not be empty");
    }
    QueryRequest q = QueryRequest.of(id != null ? id : UUID.randomUUID().toString(), question)
        .withChoices(options.isEmpty() ? null : options)
        .withBudget(budget);
    if (image != null) {
      q = q.withImage(Base64.getEncoder().encodeToString(inlineImage(image)));
    }
    if (imageRef != null) {
      if (!Files.isRegularFile(imageRef)) {
        throw CliException.invalidInput("--image-ref " + imageRef + " does not exist or is not a file");
      }
      q = q.withImageUri(imageRef.toAbsolutePath().normalize().toUri().toString());
    }
    if (between != null) {
      q = q.withBetween(between.startMicros() / 1e6, between.endMicros() / 1e6);
    }
    if (last != null) {
      q = q.withLast(last / 1e6);
    }
    return q;
  }

  /** Checks that the topics exist, within the --timeout: a clear error for a broker that is down or has no vidctx app. */
  private void requireTopics(final String servers, final List<String> topics, final long deadline,
      final String running) {
    final int millis = (int) Math.min(Integer.MAX_VALUE, remaining(deadline).toMillis());
    final Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    try (Admin admin = Admin.create(p)) {
      final Map<String, KafkaFuture<TopicDescription>> found = admin.describeTopics(topics).topicNameValues();
      for (final String t : topics) {
        try {
          found.get(t).get(remaining(deadline).toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new CliException(ExitCode.ERROR, "topic '" + t + "' does not exist on " + servers + ": " + running
                + "?");
          }
          if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            throw new CliException(ExitCode.ERROR, "Kafka at " + servers + " did not answer within "
                + duration(timeoutMicros) + ": " + running + "?", e.getCause());
          }
          throw new CliException(ExitCode.ERROR, "cannot describe topic '" + t + "' on " + servers + ": "
              + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
          throw new CliException(ExitCode.ERROR, "Kafka at " + servers + " did not answer within "
              + duration(timeoutMicros) + ": " + running + "?", e);
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException(ExitCode.ERROR, "interrupted while looking up topic '" + t + "'", e);
        }
      }
    }
  }

  private static byte[] inlineImage(final Path file) {
    if (!Files.isRegularFile(file)) {
      throw CliException.invalidInput("--image " + file + " does not exist or is not a file");
    }
    final long size = Units.sizeOf(file);
    if (size > MAX_INLINE_IMAGE_BYTES) {
      throw CliException.invalidInput("--image " + file + " is " + Units.bytes(size) + ", over the "
          + MAX_INLINE_IMAGE_BYTES / 1024 + " KB a query record carries inline: pass it as --image-ref " + file
          + " (the stream app reads the file), or shrink it");
    }
    try {
      return Files.readAllBytes(file);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read --image " + file + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable ConsumerRecord<String, byte[]> awaitAnswer(final KafkaConsumer<String, byte[]> consumer,
      final String id, final long deadline) {
    final JsonSerde<QueryAnswer> serde = new JsonSerde<>(QueryAnswer.class);
    while (System.nanoTime() - deadline < 0) {
      final Duration wait = remaining(deadline);
      for (final ConsumerRecord<String, byte[]> r : consumer.poll(wait.compareTo(POLL) < 0 ? wait : POLL)) {
        try {
          final QueryAnswer a = serde.deserialize(r.topic(), r.value());
          if (a != null && id.equals(a.id())) {
            return r;
          }
        } catch (final SerializationException e) {
          // Not an answer of this version: someone else's record.
        }
      }
    }
    return null;
  }

  private static Duration remaining(final long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }

  private static Properties consumerProperties(final String servers) {
    final Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vidctx-query-" + UUID.randomUUID());
    return p;
  }

  private static Properties producerProperties(final String servers) {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return p;
  }

  private void print(final Terminal term, final QueryAnswer a, final double roundTripMillis) {
    if (QueryAnswer.ERROR.equals(a.status())) {
      term.println("answer: none (%s)", a.error());
      return;
    }
    final String conf = a.confidence() == null ? "" : " (confidence " + Units.f2(a.confidence()) + ")";
    term.println("answer: %s%s%s", a.letter() == null ? "" : a.letter() + ". ", a.answer(), conf);
    if ("PARSE_FAILURE".equals(a.status())) {
      term.println("  the model's reply could not be parsed; it is shown as received");
    }
    if (a.atSeconds() != null) {
      term.println("at %s", TimeRange.format(Math.round(a.atSeconds() * 1e6)));
    }
    if (!a.evidence().isEmpty()) {
      final List<String> ranges = new ArrayList<>();
      for (final QueryAnswer.Evidence e : a.evidence()) {
        ranges.add(TimeRange.format(Math.round(e.startSeconds() * 1e6)) + "-"
            + TimeRange.format(Math.round(e.endSeconds() * 1e6)) + " (" + Units.f2(e.score()) + ")");
      }
      term.println("evidence: %s", String.join(", ", ranges));
    }
    for (final String note : a.notes()) {
      term.note("note: %s", note);
    }
    term.println("tokens: %d frames -> %d in memory -> %d selected (%s reduction); query: %s",
        a.framesIn(), a.memoryTokens(), a.selectedTokens(), Units.percent(a.reduction()),
        a.queryKind() == null ? "?" : a.queryKind().toLowerCase(Locale.ROOT));
    term.println("time: answered in %.1f ms by stream '%s', round trip %.0f ms", a.millis(), a.streamId(),
        roundTripMillis);
  }

  /** 60000000 us -> "60s"; 1500000 -> "1.5s". */
  static String duration(final long micros) {
    return micros % 1_000_000 == 0 ? micros / 1_000_000 + "s" : Units.f1(micros / 1e6) + "s";
  }

}
