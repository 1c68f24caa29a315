package io.vidctx.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.kafka.EncodedFrame;
import io.vidctx.ingest.kafka.KafkaFrameSource;
import io.vidctx.ingest.testing.BrokerExitGuard;
import io.vidctx.plugins.query.QueryAnswer;
import io.vidctx.plugins.query.QueryRequest;
import io.vidctx.tokencompress.VideoMemory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ready-made topology on the real in-process broker: the needle query, crash and recovery with
 * exactly-once state, scale-out over two instances.
 */
class VidctxStreamsBrokerTest {
  private static OnnxVisionEncoder encoder;

  @BeforeAll
  static void open() {
    BrokerExitGuard.install();
    encoder = PluginFixtures.builtinEncoder();
  }

  @AfterAll
  static void close() {
    encoder.close();
    BrokerExitGuard.reset();
  }

  /** Thrown from the memory listener to kill a Streams thread mid-transaction (an Error: no handler catches it). */
  private static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(final long frame) {
      super("simulated crash after frame " + frame);
    }
  }

  @Test
  void shouldAnswerAnImageQueryOnPublishedFootageInsideTheNeedleAndDeadLetterBadQueries() {
    final VidctxConfig config = VidctxConfig.defaults();
    try (BrokerHarness h = new BrokerHarness("needle", config, 2)) {
      final PluginFixtures.Footage f = PluginFixtures.footage("big_buck_bunny_0_30.webm", 2.0, 0.7, "cam-needle");
      h.publish(f.frames());
      final KafkaStreams streams = h.start("vidctx-needle", "a", encoder, null);
      final VideoMemory m = h.awaitMemory(streams, f.streamId(), f.frames().size());
      assertEquals(f.frames().size() * 196L, m.tokens().totalWeight());

      h.sendRaw(config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG), f.streamId(),
          "{\"id\": \"bad\"".getBytes(StandardCharsets.UTF_8));
      h.sendQuery(f.streamId(), QueryRequest.of("q-needle", PluginFixtures.QUESTION)
          .withImage(PluginFixtures.alteredNeedleBase64()));
      final QueryAnswer a = h.answers(1).get(0);
      assertEquals("q-needle", a.id());
      assertEquals("ANSWERED", a.status(), String.valueOf(a.error()));
      final double start = f.needle().startMicros() / 1e6;
      final double end = f.needle().endMicros() / 1e6;
      assertNotNull(a.atSeconds());
      assertTrue(a.atSeconds() >= start && a.atSeconds() <= end, "answer at " + a.atSeconds() + " s, needle "
          + start + "-" + end + " s");
      // Evidence tokens may span a frame beside the needle (a merged token's span), never elsewhere.
      for (final QueryAnswer.Evidence e : a.evidence()) {
        assertTrue(e.endSeconds() >= start && e.startSeconds() <= end, "evidence " + e + " overlaps the needle");
      }
      assertTrue(a.reduction() > 0.9, "reduction " + a.reduction());

      final List<ConsumerRecord<byte[], byte[]>> dead = h.read(config.getString(VidctxConfig.DEAD_LETTER_TOPIC_CONFIG),
          l -> !l.isEmpty());
      assertEquals(1, dead.size());
      assertEquals("{\"id\": \"bad\"", new String(dead.get(0).value(), StandardCharsets.UTF_8));
      assertEquals("deserialize:" + VidctxTopology.QUERIES_SOURCE, header(dead.get(0), KafkaFrameSource.DLQ_STAGE));
      assertEquals(config.getString(VidctxConfig.QUERIES_TOPIC_CONFIG), header(dead.get(0), KafkaFrameSource.DLQ_TOPIC));
    }
  }

  @Test
  void shouldRecoverFromACrashMidStreamWithNoFrameLostOrCountedTwice() {
    // Checkpoints every 16 frames: the crash falls between checkpoints, so stored frames are replayed.
    final VidctxConfig config = new VidctxConfig(Map.of(VidctxConfig.CHECKPOINT_FRAMES_CONFIG, 16));
    try (BrokerHarness h = new BrokerHarness("crash", config, 1)) {
      final PluginFixtures.Footage f = PluginFixtures.footage("big_buck_bunny_0_30.webm", 2.0, 0.5, "cam-crash");
      final int n = f.frames().size();
      h.publish(f.frames());
      final long crashAt = n / 2 + 3;
      final AtomicBoolean crashed = new AtomicBoolean();
      final AtomicInteger seenByFirst = new AtomicInteger();
      final KafkaStreams first = h.start("vidctx-crash", "first", encoder, u -> {
        seenByFirst.incrementAndGet();
        if (u.framesIn() == crashAt && crashed.compareAndSet(false, true)) {
          throw new SimulatedCrash(u.framesIn());
        }
      });
      BrokerHarness.await("the first instance to die", () -> first.state() == KafkaStreams.State.ERROR
          || first.state() == KafkaStreams.State.NOT_RUNNING || first.state() == KafkaStreams.State.PENDING_ERROR);
      assertTrue(crashed.get());
      first.close(Duration.ofSeconds(30));

      final List<Long> replayed = new ArrayList<>();
      final KafkaStreams second = h.start("vidctx-crash", "second", encoder, u -> replayed.add(u.framesIn()));
      final VideoMemory recovered = h.awaitMemory(second, f.streamId(), n);

      final VideoMemory uninterrupted = PluginFixtures.inProcessMemory(f.frames(), encoder, config.compressor());
      assertEquals(n * 196L, recovered.tokens().totalWeight(), "every frame counted exactly once");
      assertEquals(n, recovered.framesIn());
      assertArrayEquals(uninterrupted.toBytes(), recovered.toBytes(), "the memory equals an uninterrupted run's");
      // The second instance resumed from the last commit, before the crash, and redid the rest.
      assertFalse(replayed.isEmpty());
      assertTrue(replayed.get(0) <= crashAt, "resumed at " + replayed.get(0) + ", crash at " + crashAt);
      assertEquals(n, (long) replayed.get(replayed.size() - 1));

      // Memory updates read committed: one per frame, none from the crashed transaction.
      final List<ConsumerRecord<byte[], byte[]>> updates = h.read(config.getString(VidctxConfig.UPDATES_TOPIC_CONFIG),
          l -> l.size() >= n);
      assertEquals(n, updates.size(), "committed updates");
    }
  }

  @Test
  void shouldShareStreamsOverTwoInstancesAndFailOverWithRestoredState() {
    final int partitions = 4;
    final VidctxConfig config = new VidctxConfig(Map.of(VidctxConfig.CHECKPOINT_FRAMES_CONFIG, 8));
    try (BrokerHarness h = new BrokerHarness("scale", config, partitions)) {
      final List<PluginFixtures.Footage> streams = new ArrayList<>();
      final double[] depths = {0.2, 0.4, 0.6, 0.8};
      for (int p = 0; p < partitions; p++) {
        streams.add(PluginFixtures.footage("big_buck_bunny_0_30.webm", 1.0, depths[p],
            BrokerHarness.idForPartition("cam-", p, partitions)));
      }
      final Map<String, Set<String>> byInstance = new ConcurrentHashMap<>();
      final KafkaStreams a = h.start("vidctx-scale", "a", encoder,
          u -> byInstance.computeIfAbsent("a", k -> ConcurrentHashMap.newKeySet()).add(u.streamId()));
      final KafkaStreams b = h.start("vidctx-scale", "b", encoder,
          u -> byInstance.computeIfAbsent("b", k -> ConcurrentHashMap.newKeySet()).add(u.streamId()));
      BrokerHarness.await("both instances running", () -> a.state() == KafkaStreams.State.RUNNING
          && b.state() == KafkaStreams.State.RUNNING && a.metadataForLocalThreads().stream()
          .mapToInt(t -> t.activeTasks().size()).sum() > 0 && b.metadataForLocalThreads().stream()
          .mapToInt(t -> t.activeTasks().size()).sum() > 0);

      final List<EncodedFrame> firstHalf = new ArrayList<>();
      final List<EncodedFrame> secondHalf = new ArrayList<>();
      for (final PluginFixtures.Footage f : streams) {
        final int half = f.frames().size() / 2;
        firstHalf.addAll(f.frames().subList(0, half));
        secondHalf.addAll(f.frames().subList(half, f.frames().size()));
      }
      h.publish(firstHalf);
      for (final PluginFixtures.Footage f : streams) {
        final long half = f.frames().size() / 2;
        BrokerHarness.await(f.streamId() + " first half", () -> h.memory(a, f.streamId(), half).isPresent()
            || h.memory(b, f.streamId(), half).isPresent());
      }
      final Set<String> onA = byInstance.getOrDefault("a", Set.of());
      final Set<String> onB = byInstance.getOrDefault("b", Set.of());
      assertFalse(onA.isEmpty(), "instance a processed streams " + onA);
      assertFalse(onB.isEmpty(), "instance b processed streams " + onB);
      final Set<String> overlap = new HashSet<>(onA);
      overlap.retainAll(onB);
      assertTrue(overlap.isEmpty(), "each stream on one instance: a " + onA + ", b " + onB);

      // Instance a leaves; b takes over a's partitions with the memories restored from the changelog.
      a.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(Duration.ofSeconds(30)));
      h.publish(secondHalf);
      for (final PluginFixtures.Footage f : streams) {
        final VideoMemory m = h.awaitMemory(b, f.streamId(), f.frames().size());
        final VideoMemory expected = PluginFixtures.inProcessMemory(f.frames(), encoder, config.compressor());
        assertArrayEquals(expected.toBytes(), m.toBytes(), f.streamId() + " memory after fail-over");
        h.sendQuery(f.streamId(), QueryRequest.of("q-" + f.streamId(), PluginFixtures.QUESTION)
            .withImage(PluginFixtures.alteredNeedleBase64()));
      }
      final List<QueryAnswer> answers = h.answers(partitions);
      assertEquals(partitions, answers.size());
      for (final QueryAnswer ans : answers) {
        final PluginFixtures.Footage f = streams.stream().filter(s -> s.streamId().equals(ans.streamId())).findFirst()
            .orElseThrow();
        assertEquals("ANSWERED", ans.status(), String.valueOf(ans.error()));
        final double start = f.needle().startMicros() / 1e6;
        final double end = f.needle().endMicros() / 1e6;
        assertTrue(ans.atSeconds() >= start && ans.atSeconds() <= end, ans.streamId() + ": answer at "
            + ans.atSeconds() + " s, needle " + start + "-" + end + " s");
      }
      assertTrue(byInstance.get("b").containsAll(onA), "b took over a's streams " + onA);
    }
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String key) {
    final Header h = r.headers().lastHeader(key);
    assertNotNull(h, "header " + key);
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
