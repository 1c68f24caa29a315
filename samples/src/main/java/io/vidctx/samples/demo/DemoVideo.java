package io.vidctx.samples.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated demo video and what is known about it by construction.
 *
 * @param file the MP4 file
 * @param width picture width
 * @param height picture height
 * @param fps frame rate
 * @param frameCount frames written
 * @param codec FFmpeg encoder name used
 * @param scenes the scenes in time order; each one starts where the previous one ends
 */
public record DemoVideo(Path file, int width, int height, int fps, long frameCount, String codec, List<Scene> scenes) {

  public DemoVideo {
    scenes = List.copyOf(scenes);
  }

  /** Duration: frames / fps, in microseconds. */
  public long durationMicros() {
    return frameCount * 1_000_000L / fps;
  }

  /** Presentation time of frame {@code i}. */
  public long ptsMicros(final long frame) {
    return frame * 1_000_000L / fps;
  }

  /** The scene boundaries: start time of every scene but the first, in microseconds. */
  public List<Long> cutsMicros() {
    final List<Long> cuts = new ArrayList<>();
    for (int i = 1; i < scenes.size(); i++) {
      cuts.add(scenes.get(i).startMicros());
    }
    return cuts;
  }

  /** The first frame of every scene but the first. */
  public List<Long> cutFrames() {
    final List<Long> cuts = new ArrayList<>();
    for (int i = 1; i < scenes.size(); i++) {
      cuts.add(scenes.get(i).firstFrame());
    }
    return cuts;
  }
}
