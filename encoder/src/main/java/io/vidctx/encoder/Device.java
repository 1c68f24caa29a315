package io.vidctx.encoder;

import java.util.Locale;

/**
 * Where a model runs: {@code cpu}, or {@code cuda} / {@code cuda:N} for GPU N (needs the {@code gpu}
 * Maven profile, i.e. onnxruntime_gpu, plus CUDA 12 and cuDNN 9 on the machine).
 *
 * @param cuda whether to use the CUDA execution provider
 * @param deviceId the GPU index (0 for cpu)
 * @param strict with CUDA: fail when it is unavailable instead of warning and running on the CPU
 */
public record Device(boolean cuda, int deviceId, boolean strict) {
  public static final Device CPU = new Device(false, 0, false);

  public Device {
    if (deviceId < 0) {
      throw new IllegalArgumentException("GPU index must be >= 0, was " + deviceId);
    }
  }

  /**
   * Parses {@code cpu}, {@code cuda}, {@code cuda:1}; a trailing {@code !} ({@code cuda!}, {@code
   * cuda:1!}) demands CUDA strictly.
   */
  public static Device parse(final String text) {
    final String t = text.trim().toLowerCase(Locale.ROOT);
    final boolean strict = t.endsWith("!");
    final String body = strict ? t.substring(0, t.length() - 1) : t;
    if (body.equals("cpu")) {
      if (strict) {
        throw new IllegalArgumentException("'cpu!' is not a device: strictness only applies to cuda");
      }
      return CPU;
    }
    if (body.equals("cuda")) {
      return new Device(true, 0, strict);
    }
    if (body.startsWith("cuda:")) {
      try {
        return new Device(true, Integer.parseInt(body.substring(5)), strict);
      } catch (final NumberFormatException e) {
        throw new IllegalArgumentException("bad GPU index in device '" + text + "': use cuda:0, cuda:1, ...", e);
      }
    }
    throw new IllegalArgumentException("unknown device '" + text + "': use cpu, cuda or cuda:N (add ! to forbid CPU fallback)");
  }

  @Override
  public String toString() {
    return cuda ? "cuda:" + deviceId + (strict ? "!" : "") : "cpu";
  }
}
