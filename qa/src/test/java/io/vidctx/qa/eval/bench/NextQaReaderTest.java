package io.vidctx.qa.eval.bench;

import static io.vidctx.qa.eval.bench.BenchFixtures.abs;
import static io.vidctx.qa.eval.bench.BenchFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NextQaReaderTest {
  private static final String HEADER = "video,frame_count,width,height,question,answer,qid,type,a0,a1,a2,a3,a4\r\n";
  private static final String ROW1 = "4010069381,369,640,480,how do the two man play the instrument,0,6,CH,"
      + "roll the handle,tap their feet,strum the string,hit with sticks,pat with hand\r\n";
  private static final String ROW2 = "4882821564,1101,640,360,\"why did the boy say \"\"wait, look\"\" at the end\",2,2,CW,"
      + "\"to stop, the dog\",to sing,\"to point at the bird, in the tree\",to eat,to sleep\r\n";
  private static final String MAP = "{\"4010069381\": \"1106/4010069381\", \"4882821564\": \"0008/4882821564\"}";

  @Test
  void shouldMapEveryColumnAndParseQuotedCommas(@TempDir final Path dir) throws IOException {
    write(dir, "val.csv", HEADER + ROW1 + ROW2);
    write(dir, NextQaReader.MAP, MAP);
    final List<EvalItem> items = new NextQaReader().read(dir);
    assertEquals(List.of(
        new EvalItem("nextqa-4010069381-6", abs(dir, "NExTVideo/1106/4010069381.mp4"),
            "how do the two man play the instrument",
            List.of("roll the handle", "tap their feet", "strum the string", "hit with sticks", "pat with hand"), 0,
            "roll the handle", null, null, null, "CH", Map.of("benchmark", "nextqa", "video", "4010069381", "qid", "6",
                "split", "val", "frame_count", "369", "width", "640", "height", "480")),
        new EvalItem("nextqa-4882821564-2", abs(dir, "NExTVideo/0008/4882821564.mp4"),
            "why did the boy say \"wait, look\" at the end",
            List.of("to stop, the dog", "to sing", "to point at the bird, in the tree", "to eat", "to sleep"), 2,
            "to point at the bird, in the tree", null, null, null, "CW", Map.of("benchmark", "nextqa",
                "video", "4882821564", "qid", "2", "split", "val", "frame_count", "1101", "width", "640",
                "height", "360"))), items);
  }

  @Test
  void shouldNameTheLineOfAVideoMissingFromTheMap(@TempDir final Path dir) throws IOException {
    write(dir, "val.csv", HEADER + ROW1 + ROW2);
    write(dir, NextQaReader.MAP, "{\"4010069381\": \"1106/4010069381\"}");
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir));
    assertEquals("NExT-QA val.csv line 3 (qid 2): video '4882821564' is not in map_vid_vidorID.json", e.getMessage());
  }

  @Test
  void shouldNameMissingColumnsAndBadCells(@TempDir final Path dir) throws IOException {
    write(dir, NextQaReader.MAP, MAP);
    write(dir, "val.csv", HEADER.replace(",a4", "") + ROW1);
    assertTrue(assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir)).getMessage()
        .startsWith("NExT-QA val.csv: missing column 'a4' (header: [video, frame_count,"));
    write(dir, "val.csv", HEADER + ROW1.replace(",0,6,CH,", ",zero,6,CH,"));
    assertEquals("NExT-QA val.csv line 2 (qid 6): field 'answer' must be an integer, was 'zero'",
        assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir)).getMessage());
    write(dir, "val.csv", HEADER + ROW1.replace(",pat with hand", ""));
    assertEquals("NExT-QA val.csv line 2: 12 fields but the header has 13",
        assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir)).getMessage());
    write(dir, "val.csv", HEADER + ROW2.replace("\"to stop, the dog\"", "\"to stop\" the dog"));
    assertTrue(assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir)).getMessage()
        .startsWith("NExT-QA val.csv line 2: text after a closing quote"));
  }

  @Test
  void shouldNotFallBackToTheTrainingSet(@TempDir final Path dir) throws IOException {
    write(dir, NextQaReader.MAP, MAP);
    write(dir, "train.csv", HEADER + ROW1);
    final BenchmarkException e = assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir));
    assertTrue(e.getMessage().contains("neither val.csv nor test.csv") && e.getMessage().contains("train.csv"),
        e.getMessage());
    final List<EvalItem> train = new NextQaReader("train").read(dir);
    assertEquals("train", train.get(0).meta().get("split"));
  }

  @Test
  void shouldRequireTheVideoMap(@TempDir final Path dir) throws IOException {
    write(dir, "val.csv", HEADER + ROW1);
    assertTrue(assertThrows(BenchmarkException.class, () -> new NextQaReader().read(dir)).getMessage()
        .contains(NextQaReader.MAP + " not found"));
  }
}
