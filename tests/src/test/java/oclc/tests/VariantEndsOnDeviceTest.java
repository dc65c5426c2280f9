package oclc.tests;

import static oclc.tests.support.DeviceAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.compiler.LoadedModel;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.exec.ReferenceExecutor;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
import oclc.runtime.LaunchPlan.PlannedLaunch;
import oclc.runtime.Session;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One artifact of the GPT-2 decode graph for batch 1..4, prompts 1..128 and caches 0..127: every
 * variant of every node is run at both ends of its size class (as the compiled ranges meet it),
 * node by node, against the reference executor's value for that node, on random inputs.
 */
class VariantEndsOnDeviceTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  private static final long MAX_POSITIONS = 128;

  /** A point of the size space: batch, sequence, past. */
  private record Sizes(long batch, long sequence, long past) {
    Map<String, Long> symbols() {
      return Map.of("batch_size", batch, "sequence_length", sequence, "past_sequence_length", past);
    }
  }

  @Test
  void everyVariantOfEveryNodeMatchesTheReferenceAtBothEndsOfItsRange(@TempDir Path folder) {
    try (Executable executable =
        TestDevice.compile(MODEL, folder.resolve("gpt2.oclc"), SessionOnDeviceTest.GPT2_RANGES)) {
      checkEveryVariantAtBothEnds(
          executable, node -> node.opType().equals("MatMul") || node.opType().equals("Gemm"));
    }
  }

  /**
   * The check on any backend's compile of {@link #MODEL} for {@link
   * SessionOnDeviceTest#GPT2_RANGES}; the nodes {@code sizeClassed} names must have at least two
   * variants.
   */
  static void checkEveryVariantAtBothEnds(
      CompiledModel executable, java.util.function.Predicate<NodeLaunches> sizeClassed) {
    Graph graph = LoadedModel.load(MODEL).simplified();
    {
      Manifest manifest = executable.manifest();
      Map<String, Manifest.SymbolRange> ranges = new HashMap<>();
      manifest.symbols().forEach(r -> ranges.put(r.name(), r));
      // (node, variant, end) -> the first point of the size space where the variant's dim takes
      // that end
      Map<String, Sizes> targets = new TreeMap<>();
      for (NodeLaunches node : manifest.nodes()) {
        if (sizeClassed.test(node)) {
          assertTrue(node.variants().size() >= 2, node.name() + " has variants " + node.variants());
        }
        for (Variant variant : node.variants()) {
          for (Condition c : variant.when()) {
            long[] span = span(variant, c, ranges);
            for (long end : span) {
              String key = node.name() + " " + variant.name() + " at " + c.dim() + " = " + end;
              targets.put(key, find(variant, c, end, ranges));
            }
          }
        }
      }
      Set<Sizes> points = new LinkedHashSet<>(targets.values());
      Map<String, Set<String>> covered = new HashMap<>(); // point -> "node variant" run there
      Random random = new Random(5);
      try (Session session = executable.newSession().poisonBuffers(true)) {
        for (Sizes point : points) {
          Map<String, Tensor> inputs =
              Gpt2Inputs.random(graph, random, point.batch(), point.sequence(), point.past());
          Map<String, Tensor> reference = new HashMap<>();
          new ReferenceExecutor()
              .run(
                  graph,
                  inputs,
                  (Node node, List<Tensor> outputs) -> {
                    for (int i = 0; i < outputs.size(); i++) {
                      reference.put(node.outputs().get(i), outputs.get(i));
                    }
                  });
          inputs.forEach(session::bind);
          for (PlannedLaunch launch : session.plan()) {
            session.launch(launch.node(), launch.variant());
            session.finish();
            for (String output : launch.outputShapes().keySet()) {
              assertClose(
                  reference.get(output),
                  session.read(output),
                  point + " " + launch.node() + " (" + launch.variant() + ")");
            }
            covered
                .computeIfAbsent(point.toString(), p -> new LinkedHashSet<>())
                .add(launch.node() + " " + launch.variant());
          }
        }
      }
      List<String> missed = new ArrayList<>();
      targets.forEach(
          (key, point) -> {
            String nodeAndVariant = key.substring(0, key.indexOf(" at "));
            if (!covered.getOrDefault(point.toString(), Set.of()).contains(nodeAndVariant)) {
              missed.add(key + " (tried at " + point + ")");
            }
          });
      assertEquals(List.of(), missed, "variant ends that their point did not plan");
    }
  }

  /**
   * The ends of a condition's class as the compiled ranges meet it where the variant's other
   * conditions hold too (a variant by key and by query length reaches only the pairs both allow).
   */
  private static long[] span(
      Variant variant, Condition c, Map<String, Manifest.SymbolRange> ranges) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Sizes s : grid(ranges)) {
      long v = c.dim().evaluate(s.symbols()::get);
      if (admits(variant, s)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    assertTrue(lo <= hi, "no compiled size meets " + variant.name() + " " + variant.when());
    return lo == hi ? new long[] {lo} : new long[] {lo, hi};
  }

  private static boolean admits(Variant variant, Sizes s) {
    return variant.when().stream()
        .allMatch(
            w -> {
              long v = w.dim().evaluate(s.symbols()::get);
              return v >= w.min() && v <= w.max();
            });
  }

  private static Sizes find(
      Variant variant, Condition c, long value, Map<String, Manifest.SymbolRange> ranges) {
    for (Sizes s : grid(ranges)) {
      if (c.dim().evaluate(s.symbols()::get) == value && admits(variant, s)) {
        return s;
      }
    }
    throw new AssertionError("no size gives " + c.dim() + " = " + value);
  }

  /**
   * Every compiled (batch, sequence, past) with past + sequence within the positions, smallest
   * first.
   */
  private static List<Sizes> grid(Map<String, Manifest.SymbolRange> ranges) {
    List<Sizes> grid = new ArrayList<>();
    var batch = ranges.get("batch_size");
    var sequence = ranges.get("sequence_length");
    var past = ranges.get("past_sequence_length");
    for (long b = batch.min(); b <= batch.max(); b++) {
      for (long s = sequence.min(); s <= sequence.max(); s++) {
        for (long p = past.min(); p <= past.max() && p + s <= MAX_POSITIONS; p++) {
          grid.add(new Sizes(b, s, p));
        }
      }
    }
    return grid;
  }
}
