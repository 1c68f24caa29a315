package io.vidctx.qa.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The .npy format: round trips, the exact header layout, hand-written headers and broken files. */
class NpyFileTest {

  @TempDir
  Path dir;

  private static final float[] SPECIAL = {
    -0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1.0f, -1.5e-7f
  };

  private static float[] randomFloats(final int n, final long seed) {
    final SplittableRandom random = new SplittableRandom(seed);
    final float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian() * (float) Math.pow(10, random.nextInt(-20, 20));
    }
    System.arraycopy(SPECIAL, 0, out, 0, Math.min(n, SPECIAL.length));
    return out;
  }

  /** Exact bits (NaN compared as the canonical NaN), so -0.0 and 0.0 differ. */
  private static void assertSameBits(final float[] expected, final float[] actual) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "value " + i);
    }
  }

  /** A file with this version and header text, padded to 64 bytes like numpy does, then the data. */
  private Path npy(final int major, final String dict, final byte[] data) throws IOException {
    final byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    final int prefix = 6 + 2 + (major == 1 ? 2 : 4);
    final int padded = (prefix + text.length + 1 + 63) / 64 * 64 - prefix;
    final ByteBuffer head = ByteBuffer.allocate(prefix + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      head.putShort((short) padded);
    } else {
      head.putInt(padded);
    }
    head.put(text);
    while (head.position() < head.capacity() - 1) {
      head.put((byte) ' ');
    }
    head.put((byte) '\n');
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(head.array());
    out.write(data);
    final Path file = Files.createTempFile(dir, "hand", ".npy");
    Files.write(file, out.toByteArray());
    return file;
  }

  private static byte[] floatBytes(final ByteOrder order, final float... values) {
    final ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(order);
    for (final float v : values) {
      buf.putFloat(v);
    }
    return buf.array();
  }

  private static IOException assertReadFails(final Path file, final String... fragments) {
    final IOException e = assertThrows(IOException.class, () -> NpyFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
    for (final String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "message should mention '" + fragment + "': " + e.getMessage());
    }
    return e;
  }

  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource({"1, 1", "37, 13", "196, 512", "3, 20000"})
  void writeFloat32_matrixRoundTripsBitForBit(final int n, final int d) throws IOException {
    final float[] values = randomFloats(n * d, 31L * n + d);
    final Path file = dir.resolve("m.npy");
    NpyFile.writeFloat32(file, values, n, d);

    final NpyArray read = NpyFile.read(file);
    assertEquals("<f4", read.descr());
    assertEquals(false, read.fortranOrder());
    assertArrayEquals(new int[] {n, d}, read.shape());
    assertSameBits(values, read.floats());
    assertEquals(n * d, read.size());
  }

  @Test
  void writeFloat32_oneDimensionalHasTrailingCommaInShape() throws IOException {
    final float[] values = randomFloats(SPECIAL.length, 7);
    final Path file = dir.resolve("v.npy");
    NpyFile.writeFloat32(file, values, values.length);

    final byte[] bytes = Files.readAllBytes(file);
    final String header = new String(bytes, 10, bytes.length - 10 - 4 * values.length, StandardCharsets.ISO_8859_1);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (12,), }"), header);
    final NpyArray read = NpyFile.read(file);
    assertArrayEquals(new int[] {values.length}, read.shape());
    assertSameBits(values, read.floats());
  }

  @Test
  void writeFloat32_zeroRowsKeepsTheColumnCount() throws IOException {
    final Path file = dir.resolve("empty.npy");
    NpyFile.writeFloat32(file, new float[0], 0, 64);

    assertEquals(NpyFile.header("<f4", new int[] {0, 64}).length, Files.size(file), "header only, no data");
    final NpyArray read = NpyFile.read(file);
    assertArrayEquals(new int[] {0, 64}, read.shape());
    assertEquals(0, read.floats().length);
    assertEquals(0, read.size());
  }

  @Test
  void writeInt32AndInt64_roundTripExtremes() throws IOException {
    final int[] ints = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 42};
    final long[] spans = {Long.MIN_VALUE, -1, 0, 79_500_000L, Long.MAX_VALUE, 1L << 40};
    NpyFile.writeInt32(dir.resolve("i.npy"), ints, 2, 3);
    NpyFile.writeInt64(dir.resolve("l.npy"), spans, 3, 2);

    final NpyArray i = NpyFile.read(dir.resolve("i.npy"));
    assertEquals("<i4", i.descr());
    assertArrayEquals(new int[] {2, 3}, i.shape());
    assertArrayEquals(ints, i.ints());
    final NpyArray l = NpyFile.read(dir.resolve("l.npy"));
    assertEquals("<i8", l.descr());
    assertArrayEquals(new int[] {3, 2}, l.shape());
    assertArrayEquals(spans, l.longs());
  }

  @ParameterizedTest(name = "shape {0}")
  @ValueSource(strings = {"5", "0", "3,4", "0,64", "1000000,7", "2,3,4", "2147483647,0", "1,1,1,1,1,1,1,1,1,1,1,1,1,1"})
  void header_isPaddedToMultipleOf64AndEndsWithNewline(final String dims) {
    final int[] shape = Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
    final byte[] header = NpyFile.header("<f4", shape);

    assertEquals(0, header.length % 64, "magic + version + length + header is a multiple of 64");
    assertEquals('\n', header[header.length - 1]);
    assertEquals(1, header[6], "major version");
    assertEquals(0, header[7], "minor version");
    final int length = (header[8] & 0xff) | (header[9] & 0xff) << 8;
    assertEquals(header.length - 10, length, "stored header length");
    final String text = new String(header, 10, length, StandardCharsets.ISO_8859_1);
    final String expected = "{'descr': '<f4', 'fortran_order': False, 'shape': " + NpyFile.tuple(shape) + ", }";
    assertEquals(expected, text.stripTrailing());
    assertTrue(text.substring(expected.length(), text.length() - 1).chars().allMatch(c -> c == ' '),
        "only spaces between the dict and the newline");
  }

  @Test
  void tuple_spellsShapesLikePython() {
    assertEquals("()", NpyFile.tuple(new int[0]));
    assertEquals("(7,)", NpyFile.tuple(new int[] {7}));
    assertEquals("(0, 64)", NpyFile.tuple(new int[] {0, 64}));
  }

  @Test
  void write_rejectsDataThatDoesNotMatchTheShape() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NpyFile.writeFloat32(dir.resolve("x.npy"), new float[11], 3, 4));
    assertTrue(e.getMessage().contains("11") && e.getMessage().contains("(3, 4)") && e.getMessage().contains("12"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NpyFile.writeInt32(dir.resolve("x.npy"), new int[0], -1, 0));
    assertThrows(IllegalArgumentException.class, () -> NpyFile.writeInt64(dir.resolve("x.npy"), new long[1]));
    assertTrue(Files.notExists(dir.resolve("x.npy")), "nothing written for a bad shape");
  }

  @Test
  void read_acceptsAnyPythonSpellingOfTheHeader() throws IOException {
    final byte[] six = floatBytes(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
    final String[] spellings = {
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
      "{ 'fortran_order' : False ,'shape':(2,3,),'descr':'<f4',}",
      "{'descr':\t'<f4',\n 'fortran_order': False, 'shape': ( 2 , 3 ) , }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
    };
    for (final String dict : spellings) {
      final NpyArray read = NpyFile.read(npy(1, dict, six));
      assertArrayEquals(new int[] {2, 3}, read.shape(), dict);
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, read.floats(), dict);
    }
  }

  @Test
  void read_acceptsVersions2And3() throws IOException {
    final byte[] data = floatBytes(ByteOrder.LITTLE_ENDIAN, 0.5f, -2);
    final NpyArray v2 = NpyFile.read(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data));
    assertArrayEquals(new float[] {0.5f, -2}, v2.floats());
    final NpyArray v3 = NpyFile.read(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)}", data));
    assertArrayEquals(new int[] {1, 2}, v3.shape());
    assertArrayEquals(new float[] {0.5f, -2}, v3.floats());
    // 3.0 differs only in the header encoding: UTF-8, which shows in how a non-ASCII descr is quoted.
    assertReadFails(npy(3, "{'descr': '<f\u00e9', 'fortran_order': False, 'shape': (2,)}", data),
        "unsupported dtype descr '<f\u00e9'");
  }

  @Test
  void read_convertsBigEndianToLittleEndian() throws IOException {
    final NpyArray f = NpyFile.read(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }",
        floatBytes(ByteOrder.BIG_ENDIAN, 1.25f, -0.0f, Float.MAX_VALUE)));
    assertEquals("<f4", f.descr());
    assertSameBits(new float[] {1.25f, -0.0f, Float.MAX_VALUE}, f.floats());

    final ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(-2).putLong(1L << 33);
    final NpyArray l = NpyFile.read(npy(1, "{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", longs.array()));
    assertEquals("<i8", l.descr());
    assertArrayEquals(new long[] {-2, 1L << 33}, l.longs());
  }

  @Test
  void read_acceptsZeroDimensionalArraysAndIgnoresTrailingBytes() throws IOException {
    final NpyArray scalar = NpyFile.read(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (), }",
        new byte[] {7, 0, 0, 0, 99, 99}));
    assertArrayEquals(new int[0], scalar.shape());
    assertArrayEquals(new int[] {7}, scalar.ints());
  }

  @Test
  void read_rejectsAFileThatIsNotNpy() throws IOException {
    final Path text = dir.resolve("notes.npy");
    Files.writeString(text, "just some text, long enough to have a header");
    assertReadFails(text, "not a .npy file");
    final Path tiny = dir.resolve("tiny.npy");
    Files.write(tiny, new byte[] {(byte) 0x93, 'N', 'U'});
    assertReadFails(tiny, "truncated");
  }

  @ParameterizedTest(name = "version {0}.{1}")
  @CsvSource({"0, 0", "1, 1", "4, 0", "2, 5"})
  void read_rejectsUnsupportedVersions(final int major, final int minor) throws IOException {
    final Path file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", new byte[0]);
    final byte[] bytes = Files.readAllBytes(file);
    bytes[6] = (byte) major;
    bytes[7] = (byte) minor;
    Files.write(file, bytes);
    assertReadFails(file, "unsupported .npy format version " + major + "." + minor);
  }

  @Test
  void read_rejectsTruncatedDataAndHeaders() throws IOException {
    final Path data = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[23]);
    assertReadFails(data, "truncated", "24 data bytes", "only 23");

    final Path file = dir.resolve("cut.npy");
    NpyFile.writeFloat32(file, new float[] {1, 2}, 2);
    final byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, 40));
    assertReadFails(file, "truncated", "header");
  }

  @Test
  void read_rejectsFortranOrder() throws IOException {
    final Path file = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24]);
    assertReadFails(file, "fortran_order is True");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"<f8", "<f2", "|u1", "<u4", "=f4", "f4", "<c8"})
  void read_rejectsUnknownDescr(final String descr) throws IOException {
    final Path file = npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,), }", new byte[16]);
    assertReadFails(file, "unsupported dtype descr '" + descr + "'");
  }

  @Test
  void read_rejectsStructuredDtypes() throws IOException {
    final Path file = npy(1, "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (2,), }",
        new byte[16]);
    assertReadFails(file, "structured dtypes");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "{'descr': '<f4', 'fortran_order': False}| no 'shape' key",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}| unexpected key 'extra'",
    "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}| appears twice",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}| shape must be a tuple",
    "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}| shape must be a tuple",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}| shape dimensions must be ints",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,)}| shape dimensions must be ints",
    "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}| fortran_order must be True or False",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x| malformed .npy header: unexpected text after",
    "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}| malformed .npy header",
    "{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}| malformed .npy header: expected ',' or '}'",
    "{'descr': '<f4', 'fortran_order': false, 'shape': (2,)}| unexpected name 'false'",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)| malformed .npy header",
    "('descr', '<f4')| expected the header to start with '{'",
    "{descr: '<f4', 'fortran_order': False, 'shape': (2,)}| unexpected name 'descr'",
  })
  void read_rejectsMalformedHeaders(final String dict, final String message) throws IOException {
    assertReadFails(npy(1, dict, new byte[8]), message.strip());
  }

  @Test
  void accessors_refuseTheWrongType() throws IOException {
    NpyFile.writeFloat32(dir.resolve("f.npy"), new float[] {1}, 1);
    final NpyArray f = NpyFile.read(dir.resolve("f.npy"));
    final IllegalStateException e = assertThrows(IllegalStateException.class, f::ints);
    assertTrue(e.getMessage().contains("<i4") && e.getMessage().contains("<f4"), e.getMessage());
    assertThrows(IllegalStateException.class, f::longs);
  }

  @Test
  void npyArray_isImmutableAndComparedByContent() throws IOException {
    NpyFile.writeInt32(dir.resolve("a.npy"), new int[] {1, 2, 3, 4}, 2, 2);
    final NpyArray a = NpyFile.read(dir.resolve("a.npy"));
    final NpyArray b = NpyFile.read(dir.resolve("a.npy"));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    a.shape()[0] = 99;
    assertArrayEquals(new int[] {2, 2}, a.shape(), "shape() hands out a copy");
    assertTrue(a.data().isReadOnly());
    assertEquals("NpyArray[<i4 (2, 2)]", a.toString());
    assertThrows(IllegalArgumentException.class,
        () -> new NpyArray("<f4", false, new int[] {3}, ByteBuffer.allocate(8)));
    assertThrows(IllegalArgumentException.class,
        () -> new NpyArray("<f8", false, new int[] {1}, ByteBuffer.allocate(8)));
  }
}
