package io.vidctx.qa.eval;

import java.util.List;
import java.util.Map;

/**
 * What an evaluation run was: written once to {@code run.json} beside the result log and shown at the
 * top of the report.
 *
 * @param name the manifest or benchmark the run evaluates
 * @param model the encoder model
 * @param answerer the answerer's name ({@code embedding}, or the external model)
 * @param fps sampling rate of the videos
 * @param budget token budget of every context
 * @param methods the methods compared, in report order
 * @param settings further settings worth printing (compressor, memory budget, vlm url, machine)
 */
public record RunInfo(String name, String model, String answerer, double fps, int budget, List<Method> methods,
    Map<String, String> settings) {

  public RunInfo {
    methods = List.copyOf(methods);
    settings = Map.copyOf(settings);
  }
}
