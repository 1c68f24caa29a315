package io.vidctx.encoder.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.vidctx.encoder.Device;
import io.vidctx.encoder.EncoderException;
import io.vidctx.encoder.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions the way every vidctx encoder does: one process-wide {@link
 * OrtEnvironment} (ONNX Runtime allows only one), per-session options with the thread count and the
 * execution provider, and errors that name the model file.
 *
 * <p>CUDA: when the runtime in use has no CUDA provider (the CPU {@code onnxruntime} jar) or the
 * provider cannot start (no driver, no GPU, missing cuDNN), a strict device fails with an {@link
 * EncoderException}; a non-strict one logs one warning line and the session runs on the CPU.
 */
public final class OrtSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

  private OrtSessions() {}

  /** The process-wide environment, warnings and above logged by ONNX Runtime itself. */
  public static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "vidctx");
  }

  /**
   * An opened session, its options and the device it actually runs on (CPU after a fallback). Closing
   * releases the session, then its options (reverse order of creation).
   */
  public record Opened(OrtSession session, OrtSession.SessionOptions options, Device device) implements AutoCloseable {
    @Override
    public void close() {
      try {
        session.close();
      } catch (final OrtException e) {
        LOG.warn("closing ONNX Runtime session failed: {}", e.getMessage());
      } finally {
        options.close();
      }
    }
  }

  /**
   * Opens {@code model} with {@code options}.
   *
   * @throws EncoderException when the file is missing or not a loadable ONNX model, or a strict
   *     CUDA device is unavailable
   */
  public static Opened open(final Path model, final RuntimeOptions options) {
    if (!Files.isRegularFile(model)) {
      throw new EncoderException("ONNX model file not found: " + model.toAbsolutePath()
          + "; check the manifest's file names or run 'vidctx models verify' on the folder");
    }
    final Device wanted = options.device();
    if (wanted.cuda()) {
      final String why = cudaUnavailableReason();
      if (why == null) {
        try {
          return create(model, options, wanted);
        } catch (final EncoderException e) {
          return fallBack(model, options, e.getMessage());
        }
      }
      return fallBack(model, options, why);
    }
    return create(model, options, Device.CPU);
  }

  private static Opened fallBack(final Path model, final RuntimeOptions options, final String why) {
    final Device wanted = options.device();
    if (wanted.strict()) {
      throw new EncoderException("CUDA device " + wanted + " requested strictly but unavailable: " + why);
    }
    LOG.warn("CUDA unavailable ({}); running {} on the CPU", why, model.getFileName());
    return create(model, options, Device.CPU);
  }

  /** Null when this ONNX Runtime build has a CUDA provider, else the reason. */
  private static @Nullable String cudaUnavailableReason() {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return "this ONNX Runtime build has no CUDA provider; build with -Pgpu (onnxruntime_gpu, CUDA 12 + cuDNN 9)";
    }
    return null;
  }

  private static Opened create(final Path model, final RuntimeOptions options, final Device device) {
    final OrtEnvironment env = environment();
    final OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (device.cuda()) {
        so.addCUDA(device.deviceId());
      }
      return new Opened(env.createSession(model.toString(), so), so, device);
    } catch (final OrtException e) {
      so.close();
      throw new EncoderException("cannot load ONNX model " + model.toAbsolutePath() + (device.cuda() ? " on CUDA" : "")
          + ": " + e.getMessage(), e);
    }
  }
}
