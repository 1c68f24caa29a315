package io.vidctx.qa.eval.niah;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.testing.SharedData;
import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.NeedleTruth;
import io.vidctx.qa.haystack.Clip;
import io.vidctx.qa.haystack.HaystackSource;
import io.vidctx.qa.haystack.HaystackSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiahMakerTest {

  @TempDir static Path dir;
  static List<Path> clips;

  @BeforeAll
  static void clips() {
    clips = List.of(SharedData.video("cockatoo.mp4"), SharedData.video("shepard_calais_1906.ogv"));
  }

  private static NiahConfig config(final long seed) {
    return NiahConfig.of(clips, List.of(SharedData.image("cat.png")), 2, List.of(60_000_000L, 120_000_000L),
        List.of(0.0, 0.5, 1.0)).withSeed(seed).withSize(96, 54);
  }

  @Test
  void shouldBuildTheGridWithExactLengthsAndNeedleIntervals() throws IOException {
    final NiahMaker.Grid grid = new NiahMaker(config(7), s -> { }).make(dir.resolve("a"));
    assertEquals(2 * 3 * 3, grid.items().size());
    final HaystackFile one = HaystackFile.read(grid.haystacks().get(0));
    final HaystackFile two = HaystackFile.read(grid.haystacks().get(1));
    assertEquals(60, one.frames());
    assertEquals(120, two.frames());
    // The clips give less than 150 s at 1 fps: the long haystack loops them, each later pass shifted.
    final long footage = grid.clipFrames().stream().mapToLong(Long::longValue).sum();
    assertTrue(footage < 120, "footage " + footage);
    assertTrue(two.spec().clips().stream().anyMatch(c -> c.startMicros() > 0), two.spec().clips().toString());
    // Every length is a prefix of the same playlist.
    for (int i = 0; i < one.spec().clips().size() - 1; i++) {
      assertEquals(one.spec().clips().get(i), two.spec().clips().get(i));
    }
    for (final EvalItem item : grid.items()) {
      final NeedleTruth n = item.needle();
      final long length = item.video().contains("60s") ? 60_000_000L : 120_000_000L;
      assertEquals(length, n.haystackMicros(), item.id());
      assertEquals(1_000_000, n.endMicros() - n.startMicros(), "2 frames at 1 fps: " + item.id());
      final long expectedStart = (long) Math.ceil(n.depth() * length / 1e6) * 1_000_000;
      assertEquals(expectedStart, n.startMicros(), item.id());
      if (n.kind() == NeedleTruth.Kind.TEXT) {
        assertEquals(4, item.options().size());
        assertEquals(item.options().get(item.answerIndex()), item.answer());
        assertTrue(Files.isRegularFile(dir.resolve("a").resolve(n.image())));
      } else {
        assertTrue(Files.isRegularFile(dir.resolve("a").resolve(item.queryImage())), item.queryImage());
      }
    }
  }

  @Test
  void shouldBeDeterministicForASeed() throws IOException {
    final NiahMaker.Grid a = new NiahMaker(config(7), s -> { }).make(dir.resolve("s7a"));
    final NiahMaker.Grid b = new NiahMaker(config(7), s -> { }).make(dir.resolve("s7b"));
    final NiahMaker.Grid c = new NiahMaker(config(8), s -> { }).make(dir.resolve("s8"));
    assertEquals(a.items().stream().map(EvalItem::options).toList(), b.items().stream().map(EvalItem::options).toList());
    assertEquals(HaystackFile.read(a.haystacks().get(1)).spec().clips(),
        HaystackFile.read(b.haystacks().get(1)).spec().clips());
    assertTrue(Arrays.equals(Files.readAllBytes(dir.resolve("s7a/needles/card-01.png")),
        Files.readAllBytes(dir.resolve("s7b/needles/card-01.png"))));
    assertNotEquals(a.items().stream().map(EvalItem::options).toList(), c.items().stream().map(EvalItem::options).toList());
  }

  @Test
  void shouldSampleOtherFramesOnAShiftedPass() {
    final Path clip = SharedData.video("cockatoo.mp4");
    final HaystackSpec whole = HaystackSpec.of(List.of(clip), 1.0).withSize(64, 36);
    final HaystackSpec shifted = HaystackSpec.playlist(List.of(new Clip(clip, 500_000, 5)), 1.0).withSize(64, 36);
    final List<byte[]> a = frames(whole, 5);
    final List<byte[]> b = frames(shifted, 5);
    assertEquals(5, b.size());
    for (int i = 0; i < 5; i++) {
      assertTrue(!Arrays.equals(a.get(i), b.get(i)), "frame " + i + " of the shifted pass repeats pass 0");
    }
  }

  private static List<byte[]> frames(final HaystackSpec spec, final int n) {
    final List<byte[]> out = new ArrayList<>();
    try (HaystackSource s = HaystackSource.open(spec)) {
      for (Optional<VideoFrame> f = s.next(); f.isPresent() && out.size() < n; f = s.next()) {
        out.add(f.get().rgb());
      }
    }
    return out;
  }

  @Test
  void shouldRefuseNamesThatWouldCollide() {
    final List<Path> photos = List.of(SharedData.image("cat.png"), dir.resolve("cat.jpg"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NiahConfig.of(clips, photos, 0, List.of(60_000_000L), List.of(0.5)));
    assertTrue(e.getMessage().contains("'cat'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NiahConfig.of(clips, List.of(SharedData.image("cat.png")), 0,
        List.of(60_000_000L), List.of(0.121, 0.12)));
    assertTrue(e.getMessage().contains("depths"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NiahConfig.of(clips, List.of(SharedData.image("cat.png")), 0,
        List.of(150_000_000L), List.of(0.5)));
    assertTrue(e.getMessage().contains("whole minutes"), e.getMessage());
    assertEquals("1h30m", NiahConfig.lengthLabel(5_400_000_000L));
    assertEquals("45s", NiahConfig.lengthLabel(45_000_000L));
  }

  @Test
  void shouldRefuseALengthBeyondTheFootageWithoutLooping() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NiahMaker(config(7).withLoop(false), s -> { }).make(dir.resolve("noloop")));
    assertTrue(e.getMessage().contains("allow looping"), e.getMessage());
  }

  @Test
  void shouldReadBackAHaystackFileAndRefuseOtherFiles() throws IOException {
    final NiahMaker.Grid grid = new NiahMaker(config(7), s -> { }).make(dir.resolve("rt"));
    final HaystackFile h = HaystackFile.read(grid.haystacks().get(1));
    final Path copy = dir.resolve("copy.haystack.json");
    h.write(copy);
    final HaystackFile back = HaystackFile.read(copy);
    assertEquals(h.spec().clips(), back.spec().clips());
    assertEquals(h.counts(), back.counts());
    assertEquals(h.spec().withStreamId("x"), back.spec().withStreamId("x"));
    assertEquals(h.contentHash(), HaystackFile.read(copy).contentHash());
    Files.writeString(dir.resolve("bad.haystack.json"), "{\"format\":\"other\"}");
    final IOException e = assertThrows(IOException.class, () -> HaystackFile.read(dir.resolve("bad.haystack.json")));
    assertTrue(e.getMessage().contains("not a haystack file"), e.getMessage());
    assertThrows(IOException.class, () -> HaystackFile.read(dir.resolve("missing.haystack.json")));
  }

  @Test
  void shouldRenderReadableCardsInEveryFont() {
    final List<DecodedImage> images = new ArrayList<>();
    for (final String font : TextCard.FONTS) {
      final DecodedImage img = new TextCard("4821", "CODE", font, false, 0.3, 0x101820, 0xF5F5F5).render(320, 180);
      int bright = 0;
      for (int i = 0; i < img.rgb().length; i += 3) {
        bright += (img.rgb()[i] & 0xff) > 128 ? 1 : 0;
      }
      // Light text on a dark card: some, but far from all, pixels are bright.
      assertTrue(bright > 300 && bright < 320 * 180 / 3, font + ": " + bright + " bright pixels");
      images.add(img);
    }
    assertTrue(!Arrays.equals(images.get(0).rgb(), images.get(2).rgb()), "fonts must differ");
    final DecodedImage longLine = new TextCard("A VERY LONG LINE OF TEXT THAT WOULD RUN OFF ANY CARD AT THIS SIZE", "",
        TextCard.FONTS.get(0), true, 0.6, 0xFFFFFF, 0).render(320, 180);
    // Shrunk to fit: the outer columns stay background.
    for (int y = 0; y < 180; y++) {
      assertEquals((byte) 0xFF, longLine.rgb()[(y * 320) * 3], "left edge at row " + y);
    }
    assertThrows(IllegalArgumentException.class, () -> new TextCard(" ", "", TextCard.FONTS.get(0), false, 0.3, 0, 1));
  }
}
