package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import oclc.compiler.LoadedModel;
import oclc.compiler.generate.Generator;
import oclc.compiler.generate.HostStepper;
import oclc.compiler.generate.Steppers;
import oclc.compiler.generate.TokenChooser;
import oclc.ir.Graph;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows that join a running batch and leave it between steps, as {@code oclc serve} runs them
 * ({@link HostStepper#admit}, {@link HostStepper#keepRows}, {@link HostStepper#trimPadding}): each
 * request's greedy tokens must be those of its prompt generated alone. On the Llama export in
 * Optimum's layout (attention_mask and position_ids, so a shorter past is left-padded and masked),
 * with drawn prompts: a second request joins with a prompt longer than the first's past (the batch
 * is shifted right), the first leaves, a third joins shorter than the batch's past (it is shifted),
 * and the padding no row needs is trimmed.
 */
class RowsJoinAndLeaveTest {
  private static final Path MODEL =
      SharedData.models().resolve("llama-tiny-past-opset14").resolve("model.onnx");

  private static final TokenChooser GREEDY = TokenChooser.greedy();

  @TempDir Path folder;

  /** One request of the script: its prompt, its tokens, and the step at which it arrives. */
  private record Request(long[] prompt, int newTokens, int arrivesAt) {}

  private static List<Request> drawn(long seed) {
    Random random = new Random(seed);
    return List.of(
        new Request(random.longs(2 + random.nextInt(2), 0, 512).toArray(), 4, 0),
        new Request(random.longs(9 + random.nextInt(3), 0, 512).toArray(), 8, 2),
        new Request(random.longs(1 + random.nextInt(2), 0, 512).toArray(), 6, 5));
  }

  @Test
  void onTheReferenceEachRowGivesItsPromptsOwnTokens() {
    Graph graph = LoadedModel.load(MODEL).simplified();
    check(() -> Steppers.reference(graph), "reference");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "java"})
  void onTheFastBackendsEachRowGivesItsPromptsOwnTokens(String backend) {
    Map<String, String> ranges =
        Map.of("batch_size", "1..3", "sequence_length", "1..16", "past_sequence_length", "0..40");
    Path artifact = folder.resolve("llama-" + backend + ".oclc");
    try (CompiledModel model =
            backend.equals("java")
                ? JavaDevice.compile(MODEL, artifact, ranges, true)
                : TestDevice.compile(MODEL, artifact, ranges);
        Session session = model.newSession()) {
      check(() -> Steppers.hostStepper(model.manifest(), session), backend);
    }
  }

  private static void check(Supplier<HostStepper> steppers, String backend) {
    long seed = System.nanoTime();
    List<Request> requests = drawn(seed);
    String where = backend + " (seed " + seed + ")";
    List<List<Long>> alone = new ArrayList<>();
    for (Request r : requests) {
      alone.add(
          Generator.generate(steppers.get(), r.prompt(), r.newTokens(), TokenChooser.greedy())
              .tokens());
    }
    assertEquals(alone, scripted(steppers, requests), where);
  }

  /**
   * Runs the script: each request prefills alone when it arrives and joins the batch, every step
   * decodes one token of each row, and a row that has its tokens leaves.
   */
  private static List<List<Long>> scripted(Supplier<HostStepper> steppers, List<Request> requests) {
    List<List<Long>> generated = new ArrayList<>();
    requests.forEach(r -> generated.add(new ArrayList<>()));
    List<Integer> rows = new ArrayList<>(); // the request each batch row serves
    HostStepper batch = null;
    int lastArrival = requests.stream().mapToInt(Request::arrivesAt).max().orElse(0);
    for (int step = 0; step <= lastArrival || !rows.isEmpty(); step++) {
      if (batch != null) {
        float[][] logits =
            batch.step(
                rows.stream()
                    .map(r -> new long[] {generated.get(r).getLast()})
                    .toArray(long[][]::new));
        for (int row = 0; row < rows.size(); row++) {
          generated.get(rows.get(row)).add((long) GREEDY.choose(logits[row]));
        }
        int[] kept =
            java.util.stream.IntStream.range(0, rows.size())
                .filter(
                    row ->
                        generated.get(rows.get(row)).size()
                            < requests.get(rows.get(row)).newTokens())
                .toArray();
        if (kept.length < rows.size() && kept.length > 0) {
          batch.keepRows(kept);
          batch.trimPadding();
        }
        List<Integer> keptRows = new ArrayList<>();
        for (int row : kept) {
          keptRows.add(rows.get(row));
        }
        rows.clear();
        rows.addAll(keptRows);
        if (rows.isEmpty()) {
          batch = null;
        }
      }
      for (int r = 0; r < requests.size(); r++) {
        if (requests.get(r).arrivesAt() == step) {
          HostStepper joining = steppers.get();
          generated.get(r).add((long) GREEDY.choose(joining.step(requests.get(r).prompt())));
          if (batch == null) {
            batch = joining;
          } else {
            batch.admit(joining);
          }
          rows.add(r);
        }
      }
    }
    return generated;
  }
}
