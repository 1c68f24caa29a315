package io.vidctx.qa.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vidctx.qa.eval.EvalFiles;
import io.vidctx.qa.eval.Method;
import io.vidctx.qa.eval.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code run.json}: the {@link RunInfo} of an evaluation folder, so a report can be redrawn later. */
public final class RunInfoFile {
  private RunInfoFile() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void write(final Path file, final RunInfo info) throws IOException {
    final ObjectNode o = JSON.createObjectNode();
    o.put("format", "vidctx.eval-run");
    o.put("version", 1);
    o.put("name", info.name());
    o.put("model", info.model());
    o.put("answerer", info.answerer());
    o.put("fps", info.fps());
    o.put("budget", info.budget());
    info.methods().forEach(m -> o.withArray("methods").add(m.id()));
    final ObjectNode s = o.putObject("settings");
    info.settings().forEach(s::put);
    EvalFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
  }

  /**
   * @throws IOException a missing file, or one that is not a run description (naming the file)
   */
  public static RunInfo read(final Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no " + file + ": run 'vidctx eval' with this --out first");
    }
    final JsonNode o = JSON.readTree(file.toFile());
    if (o == null || !"vidctx.eval-run".equals(o.path("format").asText())) {
      throw new IOException(file + " is not an evaluation run description (format vidctx.eval-run)");
    }
    final List<Method> methods = new ArrayList<>();
    o.path("methods").forEach(m -> methods.add(Method.parse(m.asText())));
    final Map<String, String> settings = new LinkedHashMap<>();
    for (final Iterator<Map.Entry<String, JsonNode>> it = o.path("settings").fields(); it.hasNext(); ) {
      final Map.Entry<String, JsonNode> e = it.next();
      settings.put(e.getKey(), e.getValue().asText());
    }
    return new RunInfo(o.path("name").asText(), o.path("model").asText(), o.path("answerer").asText(),
        o.path("fps").asDouble(), o.path("budget").asInt(), methods, settings);
  }
}
