package io.vidctx.qa.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files we write load in numpy, and files numpy writes load here, compared bit for bit through a
 * SHA-256 of the little-endian C-order values. Needs {@code python3} with numpy; skipped without.
 */
class NpyNumpyInteropTest {

  private static final long PYTHON_TIMEOUT_SECONDS = 120;

  /** Prints "name shape dtype.str c_contiguous sha256" for each file given. */
  private static final String DESCRIBE = """
      import hashlib, sys
      import numpy as np
      for path in sys.argv[1:]:
          a = np.load(path, allow_pickle=False)
          print(path.rsplit('/', 1)[-1], str(a.shape).replace(' ', ''), a.dtype.str, a.flags.c_contiguous,
                hashlib.sha256(a.tobytes()).hexdigest())
      """;

  /** Saves arrays with numpy and prints "name shape sha256-of-little-endian-C-order-bytes" for each. */
  private static final String SAVE = """
      import hashlib, os, sys
      import numpy as np
      d = sys.argv[1]
      rng = np.random.default_rng(7)
      f = rng.standard_normal((9, 33)).astype('<f4')
      f.flat[:6] = [-0.0, np.finfo(np.float32).tiny, np.finfo(np.float32).max, np.inf, -np.inf, 1e-45]
      arrays = {
          'f32': f,
          'i32': np.arange(-5, 7, dtype='<i4'),
          'i64': np.array([-(2**63), -1, 0, 79500000, 2**63 - 1, 2**40], dtype='<i8').reshape(3, 2),
          'empty': np.zeros((0, 64), dtype='<f4'),
          'big_endian': f[:4, :5].astype('>f4'),
      }
      for name, a in arrays.items():
          np.save(os.path.join(d, name + '.npy'), a)
      with open(os.path.join(d, 'v2.npy'), 'wb') as out:
          np.lib.format.write_array(out, f, version=(2, 0))
      arrays['v2'] = f
      np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.ones((3, 4), dtype='<f4')))
      np.save(os.path.join(d, 'f64.npy'), np.ones(3))
      for name, a in arrays.items():
          le = np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<'))
          print(name, str(a.shape).replace(' ', ''), hashlib.sha256(le.tobytes()).hexdigest())
      """;

  @TempDir
  Path dir;

  @BeforeEach
  void requireNumpy() {
    assumeTrue(numpyAvailable(),
        "python3 with numpy not found: skipping the numpy interoperability test (CI installs python3-numpy)");
  }

  @Test
  void numpyLoadsWhatWeWrite() throws IOException {
    final SplittableRandom random = new SplittableRandom(11);
    final float[] matrix = new float[50 * 17];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = (float) random.nextGaussian();
    }
    final float[] special = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
    System.arraycopy(special, 0, matrix, 0, special.length);
    final int[] indices = {0, 5, -7, Integer.MAX_VALUE, Integer.MIN_VALUE};
    final long[] spans = {0, 1_000_000, 79_500_000, Long.MAX_VALUE, Long.MIN_VALUE, -1};
    NpyFile.writeFloat32(dir.resolve("tokens.npy"), matrix, 50, 17);
    NpyFile.writeFloat32(dir.resolve("vector.npy"), special, special.length);
    NpyFile.writeFloat32(dir.resolve("empty.npy"), new float[0], 0, 64);
    NpyFile.writeInt32(dir.resolve("indices.npy"), indices, indices.length);
    NpyFile.writeInt64(dir.resolve("spans.npy"), spans, 3, 2);

    final Map<String, String> expected = new LinkedHashMap<>();
    expected.put("tokens.npy", "(50,17) <f4 True " + sha256(floatBytes(matrix)));
    expected.put("vector.npy", "(5,) <f4 True " + sha256(floatBytes(special)));
    expected.put("empty.npy", "(0,64) <f4 True " + sha256(new byte[0]));
    expected.put("indices.npy", "(5,) <i4 True " + sha256(ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(0).putInt(5).putInt(-7).putInt(Integer.MAX_VALUE).putInt(Integer.MIN_VALUE).array()));
    final ByteBuffer spanBytes = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
    for (final long s : spans) {
      spanBytes.putLong(s);
    }
    expected.put("spans.npy", "(3,2) <i8 True " + sha256(spanBytes.array()));

    final List<String> args = new ArrayList<>();
    for (final String name : expected.keySet()) {
      args.add(dir.resolve(name).toString());
    }
    final List<String> lines = python(DESCRIBE, args);
    assertEquals(expected.size(), lines.size(), "one line per file: " + lines);
    int i = 0;
    for (final Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(e.getKey() + " " + e.getValue(), lines.get(i++), "numpy's view of " + e.getKey());
    }
  }

  @Test
  void weLoadWhatNumpySaves() throws IOException {
    final List<String> lines = python(SAVE, List.of(dir.toString()));
    assertEquals(6, lines.size(), "one line per array: " + lines);
    for (final String line : lines) {
      final String[] f = line.split(" ");
      final NpyArray a = NpyFile.read(dir.resolve(f[0] + ".npy"));
      assertEquals(f[1], NpyFile.tuple(a.shape()).replace(" ", ""), "shape of " + f[0]);
      final ByteBuffer data = a.data();
      final byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      assertEquals(f[2], sha256(bytes), "values of " + f[0]);
    }
    assertArrayEquals(new int[] {-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6}, NpyFile.read(dir.resolve("i32.npy")).ints());
    assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, 79_500_000L, Long.MAX_VALUE, 1L << 40},
        NpyFile.read(dir.resolve("i64.npy")).longs());
    final float[] f32 = NpyFile.read(dir.resolve("f32.npy")).floats();
    assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(f32[0]));
    assertEquals(Float.MAX_VALUE, f32[2]);
    assertEquals(Float.MIN_VALUE, f32[5]);
    assertEquals("<f4", NpyFile.read(dir.resolve("big_endian.npy")).descr());
    assertArrayEquals(new int[] {0, 64}, NpyFile.read(dir.resolve("empty.npy")).shape());

    final IOException fortran = assertThrows(IOException.class, () -> NpyFile.read(dir.resolve("fortran.npy")));
    assertTrue(fortran.getMessage().contains("fortran_order is True"), fortran.getMessage());
    final IOException f64 = assertThrows(IOException.class, () -> NpyFile.read(dir.resolve("f64.npy")));
    assertTrue(f64.getMessage().contains("unsupported dtype descr '<f8'"), f64.getMessage());
  }

  private static boolean numpyAvailable() {
    try {
      final Process p = new ProcessBuilder("python3", "-c", "import numpy")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (final IOException e) {
      return false;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs a script and returns its output lines; fails the test, with the output, when it fails. */
  private static List<String> python(final String script, final List<String> args) throws IOException {
    final List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(args);
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output;
    try {
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS), "python3 did not finish");
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while python3 ran", e);
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), "python3 failed:\n" + output);
    return output.lines().filter(l -> !l.isBlank()).toList();
  }

  private static byte[] floatBytes(final float[] values) {
    final ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return buf.array();
  }

  private static String sha256(final byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
