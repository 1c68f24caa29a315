package io.vidctx.qa.eval.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSONL manifest: exact round trips, and errors that name the file, the line, the id and the problem. */
class ManifestTest {

  private static List<EvalItem> sampleItems() {
    final EvalItem choice = new EvalItem("mlvu-1_plotQA-0", "videos/movie101_66.mp4",
        "What colour is the main character's shirt?", List.of("red", "blue", "green", "white"), 1, "blue", null,
        null, null, "plotQA", Map.of("benchmark", "mlvu", "duration", "480.5"));
    final EvalItem open = new EvalItem("open-1", "https://example.org/v/clip.mp4",
        "Qu'est-ce qu'on voit « là » ? 日本語のテキスト 😀\nsecond line \"quoted\"", List.of(), -1, "un chat", null,
        new TimeRange(1_000_001, 62_500_000), null, null, Map.of("note", "tab\there"));
    final NeedleTruth needle = new NeedleTruth("hummingbird", NeedleTruth.Kind.PHOTO, "needles/hummingbird.jpg", 0.37,
        2_000_000, 239_020_001, 241_019_999, 646_000_123);
    final EvalItem niah = new EvalItem("niah-600s-d0.37", "haystacks/h600.haystack.json",
        "When is the bird shown?", List.of(), -1, null, "queries/hummingbird-altered.jpg", null, needle, "photo",
        Map.of());
    final EvalItem hidden = new EvalItem("egoschema-0074f737-11cb-497d-8d07-77c3a8127391", "/data/ego/videos/x.mp4",
        "What is c doing?", List.of("A", "B", "C", "D", "E"), -1, null, null, null, null, null,
        Map.of("subset", "false"));
    final EvalItem letterAnswer = new EvalItem("letter", "v.mp4", "Which?", List.of("x", "y", "z"), 2, "C", null, null,
        new NeedleTruth("card-7", NeedleTruth.Kind.TEXT, "cards/7.png", 1.0, 1, 0, 0, 0), null, Map.of());
    return List.of(choice, open, niah, hidden, letterAnswer);
  }

  @Test
  void shouldReadBackExactlyWhatWasWritten(@TempDir final Path dir) throws IOException {
    final Path file = dir.resolve("sub/eval.jsonl");
    final List<EvalItem> items = sampleItems();
    Manifest.write(file, items);

    final Manifest m = Manifest.read(file);
    assertEquals(items, m.items());
    assertEquals(file, m.file());
    final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(items.size(), lines.size(), "one line per item: " + lines);
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertEquals(List.of(file), s.toList(), "no temporary file left behind");
    }
  }

  @Test
  void shouldReplaceAnExistingManifest(@TempDir final Path dir) throws IOException {
    final Path file = dir.resolve("eval.jsonl");
    Manifest.write(file, sampleItems());
    final List<EvalItem> fewer = sampleItems().subList(0, 2);
    Manifest.write(file, fewer);
    assertEquals(fewer, Manifest.read(file).items());
  }

  @Test
  void shouldWriteSecondsAsPlainDecimalsToTheMicrosecond() {
    final String line = Manifest.toJsonLine(sampleItems().get(2));
    assertTrue(line.contains("\"startSeconds\":239.020001"), line);
    assertTrue(line.contains("\"endSeconds\":241.019999"), line);
    assertTrue(line.contains("\"durationSeconds\":2,"), line);
    assertTrue(line.contains("\"haystackSeconds\":646.000123"), line);
    assertTrue(line.contains("\"kind\":\"photo\""), line);
    final String tiny = Manifest.toJsonLine(sampleItems().get(4));
    assertTrue(tiny.contains("\"durationSeconds\":0.000001"), tiny);
    assertTrue(Manifest.toJsonLine(sampleItems().get(1)).contains("\"range\":{\"start\":1.000001,\"end\":62.5}"));
  }

  @Test
  void shouldRoundTripAnyMicrosecondUpToTenHours() {
    final Random r = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      final long a = (long) (r.nextDouble() * 36_000_000_000L);
      final long b = a + r.nextInt(1_000_000_000);
      final EvalItem item = EvalItem.choice("i" + i, "v.mp4", "q?", List.of("a", "b"), 0).withRange(new TimeRange(a, b));
      assertEquals(item, Manifest.fromJsonLine(Manifest.toJsonLine(item)), "range " + a + ".." + b);
    }
  }

  @Test
  void shouldSkipBlankAndCommentLinesAndCountThemInLineNumbers(@TempDir final Path dir) throws IOException {
    final Path file = write(dir, "\uFEFF# an evaluation manifest",
        "",
        "// written by hand",
        "{\"id\":\"a\",\"video\":\"a.mp4\",\"question\":\"q?\"}",
        "   ",
        "{\"id\":\"b\",\"video\":\"b.mp4\"}");
    final ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(file));
    assertEquals("manifest " + file + " line 6 (id b): missing field 'question'", e.getMessage());
    assertEquals(6, e.line());
    assertEquals("b", e.itemId());
    assertEquals(file, e.file());
  }

  @Test
  void shouldNameLineAndIdOfAMissingField(@TempDir final Path dir) throws IOException {
    final List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add("{\"id\":\"mlvu-" + i + "\",\"video\":\"v.mp4\",\"question\":\"q" + i + "?\"}");
    }
    lines.add("{\"id\":\"mlvu-12\",\"video\":\"v.mp4\",\"options\":[\"a\",\"b\"]}");
    final Path file = write(dir, lines.toArray(String[]::new));
    final ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(file));
    assertTrue(e.getMessage().endsWith("line 7 (id mlvu-12): missing field 'question'"), e.getMessage());
  }

  @Test
  void shouldRejectDuplicateIdsNamingBothLines(@TempDir final Path dir) throws IOException {
    final Path file = write(dir, "# header",
        "{\"id\":\"x\",\"video\":\"a.mp4\",\"question\":\"q?\"}",
        "{\"id\":\"y\",\"video\":\"a.mp4\",\"question\":\"q?\"}",
        "{\"id\":\"x\",\"video\":\"b.mp4\",\"question\":\"other?\"}");
    final ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(file));
    assertTrue(e.getMessage().contains("duplicate id 'x' on lines 2 and 4"), e.getMessage());
    assertEquals(4, e.line());
  }

  @Test
  void shouldRejectUnknownFieldsListingTheKnownOnes(@TempDir final Path dir) throws IOException {
    final Path file = write(dir, "{\"id\":\"q1\",\"video\":\"a.mp4\",\"question\":\"q?\",\"answr\":\"b\"}");
    final ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(file));
    assertTrue(e.getMessage().contains("line 1 (id q1): unknown field 'answr'"), e.getMessage());
    assertTrue(e.getMessage().contains(String.join(", ", Manifest.FIELDS)), e.getMessage());

    final ManifestException nested = assertThrows(ManifestException.class, () -> Manifest.fromJsonLine(
        "{\"id\":\"n\",\"video\":\"h.haystack.json\",\"question\":\"when?\",\"needle\":{\"label\":\"x\",\"imgae\":\"x.jpg\"}}"));
    assertTrue(nested.getMessage().contains("unknown field 'needle.imgae'"), nested.getMessage());
    assertTrue(nested.getMessage().contains("known needle fields: label, kind, image,"), nested.getMessage());
  }

  @Test
  void shouldReportMalformedJsonWithItsLine(@TempDir final Path dir) throws IOException {
    final Path file = write(dir, "{\"id\":\"a\",\"video\":\"a.mp4\",\"question\":\"q?\"}",
        "",
        "{\"id\":\"b\",\"video\":\"b.mp4\",\"question\":\"q?\"",
        "{\"id\":\"c\",\"video\":\"c.mp4\",\"question\":\"q?\"}");
    final ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(file));
    assertTrue(e.getMessage().startsWith("manifest " + file + " line 3: not JSON: "), e.getMessage());
    assertNull(e.itemId());
  }

  @Test
  void shouldRejectLinesThatAreNotOneObject() {
    assertTrue(assertThrows(ManifestException.class, () -> Manifest.fromJsonLine("[1, 2]")).getMessage()
        .contains("expected a JSON object"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine("{\"id\":\"a\",\"video\":\"a.mp4\",\"question\":\"q?\"} {\"id\":\"b\"}"))
        .getMessage().contains("not JSON"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine("{\"id\":\"a\",\"video\":\"a.mp4\",\"question\":\"q?\",\"video\":\"b.mp4\"}"))
        .getMessage().contains("Duplicate field 'video'"));
  }

  @Test
  void shouldDeriveTheAnswerIndexFromTheAnswerTextOrLetter() {
    final String head = "{\"id\":\"a\",\"video\":\"a.mp4\",\"question\":\"Which?\",\"options\":[\"red\",\"blue\",\"green\",\"white\"]";
    final EvalItem byText = Manifest.fromJsonLine(head + ",\"answer\":\"green\"}");
    assertEquals(2, byText.answerIndex());
    assertEquals("green", byText.answer());
    assertEquals(3, Manifest.fromJsonLine(head + ",\"answer\":\"D\"}").answerIndex());
    assertEquals(-1, Manifest.fromJsonLine(head + "}").answerIndex());

    final ManifestException outOfRange = assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + ",\"answer\":\"E\"}"));
    assertEquals("item 'a': answer 'E' but only 4 options (A-D)", outOfRange.getMessage());
    final ManifestException unknown = assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + ",\"answer\":\"purple\"}"));
    assertTrue(unknown.getMessage().contains("answer 'purple' is neither one of the 4 options nor a letter A-D"),
        unknown.getMessage());
  }

  @Test
  void shouldCheckTheAnswerIndexAgainstOptionsAndAnswer() {
    final String head = "{\"id\":\"a\",\"video\":\"a.mp4\",\"question\":\"Which?\",\"options\":[\"red\",\"blue\",\"green\",\"white\"]";
    assertEquals("item 'a': answerIndex 5 but only 4 options",
        assertThrows(ManifestException.class, () -> Manifest.fromJsonLine(head + ",\"answerIndex\":5}")).getMessage());
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + ",\"answerIndex\":1,\"answer\":\"red\"}")).getMessage()
        .contains("answerIndex 1 ('blue') disagrees with answer 'red'"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + ",\"answerIndex\":\"1\"}")).getMessage()
        .contains("field 'answerIndex' must be an integer, was the string '1'"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine("{\"id\":\"o\",\"video\":\"a.mp4\",\"question\":\"q?\",\"answerIndex\":0}"))
        .getMessage().contains("answerIndex 0 but the item has no options"));
    assertEquals(1, Manifest.fromJsonLine(head + ",\"answerIndex\":1,\"answer\":\"B\"}").answerIndex());
  }

  @Test
  void shouldAcceptRangesAsSecondsOrClockStrings() {
    final String head = "{\"id\":\"r\",\"video\":\"a.mp4\",\"question\":\"What happens?\",\"range\":";
    assertEquals(new TimeRange(90_250_000, 105_000_000),
        Manifest.fromJsonLine(head + "{\"start\":\"0:01:30.250\",\"end\":\"01:45\"}}").range());
    assertEquals(new TimeRange(5_000_000, 3_723_500_000L),
        Manifest.fromJsonLine(head + "{\"start\":5,\"end\":\"1:02:03.5\"}}").range());
    assertEquals(new TimeRange(12_500_000, 13_000_000),
        Manifest.fromJsonLine(head + "{\"start\":\"12.5\",\"end\":13}}").range());
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + "{\"start\":\"1:75\",\"end\":13}}")).getMessage()
        .contains("field 'range.start' is not a time: '1:75'"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + "{\"start\":20,\"end\":10}}")).getMessage().contains("range:"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(head + "{\"start\":1}}")).getMessage().contains("missing field 'range.end'"));
  }

  @Test
  void shouldTurnScalarMetaValuesIntoStrings() {
    final EvalItem item = Manifest.fromJsonLine("{\"id\":\"m\",\"video\":\"a.mp4\",\"question\":\"q?\","
        + "\"meta\":{\"duration\":480,\"fps\":29.970,\"subtitles\":false,\"domain\":\"Knowledge\"}}");
    assertEquals(Map.of("duration", "480", "fps", "29.97", "subtitles", "false", "domain", "Knowledge"), item.meta());
    assertTrue(assertThrows(ManifestException.class, () -> Manifest.fromJsonLine(
        "{\"id\":\"m\",\"video\":\"a.mp4\",\"question\":\"q?\",\"meta\":{\"position\":[1,2]}}")).getMessage()
        .contains("field 'meta.position' must be a string, number or boolean, was a list"));
  }

  @Test
  void shouldReadNeedlesAndRejectAnUnknownKind() {
    final String line = "{\"id\":\"n\",\"video\":\"h.haystack.json\",\"question\":\"When?\",\"queryImage\":\"q.jpg\","
        + "\"needle\":{\"label\":\"cat\",\"kind\":\"TEXT\",\"image\":\"cat.png\",\"depth\":0.5,\"durationSeconds\":2,"
        + "\"startSeconds\":300.0000004,\"endSeconds\":301.999999,\"haystackSeconds\":600}}";
    assertEquals(new NeedleTruth("cat", NeedleTruth.Kind.TEXT, "cat.png", 0.5, 2_000_000, 300_000_000, 301_999_999,
        600_000_000), Manifest.fromJsonLine(line).needle());
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(line.replace("TEXT", "video"))).getMessage()
        .contains("field 'needle.kind' must be \"photo\" or \"text\", was 'video'"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Manifest.fromJsonLine(line.replace(",\"depth\":0.5", ""))).getMessage()
        .contains("missing field 'needle.depth'"));
  }

  @Test
  void shouldReadTheReadmeExampleLines() {
    final EvalItem niah = Manifest.fromJsonLine("{\"id\":\"niah-600s-d0.5\",\"video\":\"haystacks/h600.haystack.json\","
        + "\"question\":\"When is the bird shown?\",\"queryImage\":\"queries/bird-altered.jpg\","
        + "\"range\":{\"start\":0,\"end\":\"10:00\"},\"needle\":{\"label\":\"bird\",\"kind\":\"photo\","
        + "\"image\":\"needles/bird.jpg\",\"depth\":0.5,\"durationSeconds\":2,\"startSeconds\":300,"
        + "\"endSeconds\":301,\"haystackSeconds\":600},\"task\":\"photo\",\"meta\":{\"benchmark\":\"niah\"}}");
    assertEquals(new EvalItem("niah-600s-d0.5", "haystacks/h600.haystack.json", "When is the bird shown?", List.of(), -1,
        null, "queries/bird-altered.jpg", new TimeRange(0, 600_000_000),
        new NeedleTruth("bird", NeedleTruth.Kind.PHOTO, "needles/bird.jpg", 0.5, 2_000_000, 300_000_000, 301_000_000,
            600_000_000), "photo", Map.of("benchmark", "niah")), niah);
    final EvalItem mlvu = Manifest.fromJsonLine("{\"id\":\"mlvu-4_count-0\","
        + "\"video\":\"/data/MLVU/video/4_count/count_7.mp4\",\"question\":\"How many times does the person jump?\","
        + "\"options\":[\"3\",\"5\",\"4\",\"6\"],\"answerIndex\":2,\"answer\":\"4\",\"task\":\"count\","
        + "\"meta\":{\"benchmark\":\"mlvu\",\"duration\":\"601.5\",\"file\":\"4_count.json\"}}");
    assertEquals(2, mlvu.answerIndex());
    assertEquals(Manifest.toJsonLine(mlvu), Manifest.toJsonLine(Manifest.fromJsonLine(Manifest.toJsonLine(mlvu))));
  }

  @Test
  void shouldExplainAMissingFileOrAFolder(@TempDir final Path dir) {
    final Path missing = dir.resolve("nope.jsonl");
    final ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(missing));
    assertTrue(e.getMessage().contains("the file does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(assertThrows(ManifestException.class, () -> Manifest.read(dir)).getMessage()
        .contains("is a folder, not a manifest file"));
  }

  @Test
  void shouldRefuseToWriteWhatCouldNotBeReadBack(@TempDir final Path dir) throws IOException {
    final Path file = dir.resolve("eval.jsonl");
    Manifest.write(file, sampleItems());
    final EvalItem a = EvalItem.choice("same", "v.mp4", "q?", List.of("a", "b"), 0);
    final IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
        () -> Manifest.write(file, List.of(a, a.withTask("t"))));
    assertTrue(dup.getMessage().contains("duplicate id 'same'"), dup.getMessage());
    final EvalItem disagreeing = new EvalItem("bad", "v.mp4", "q?", List.of("a", "b"), 0, "b", null, null, null, null,
        Map.of());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Manifest.write(file, List.of(disagreeing)))
        .getMessage().contains("disagrees with answer 'b'"));
    assertEquals(sampleItems(), Manifest.read(file).items(), "the old manifest is untouched");
  }

  @Test
  void shouldResolveRelativePathsAgainstTheManifestFolderAndKeepUrls(@TempDir final Path dir) {
    final Manifest m = new Manifest(dir.resolve("sets/eval.jsonl"), List.of());
    assertEquals(dir.resolve("sets/videos/a.mp4").toAbsolutePath().toString(), m.resolve("videos/a.mp4"));
    assertEquals(dir.resolve("b.mp4").toAbsolutePath().toString(), m.resolve("../b.mp4"));
    assertEquals("/abs/c.mp4", m.resolve("/abs/c.mp4"));
    assertEquals("rtsp://cam.local:554/live", m.resolve("rtsp://cam.local:554/live"));
  }

  private static Path write(final Path dir, final String... lines) throws IOException {
    final Path file = dir.resolve("m.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }
}
