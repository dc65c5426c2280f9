package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.compiler.LoadedModel;
import oclc.compiler.NodeTraffic;
import oclc.compiler.generate.CachedStepper;
import oclc.compiler.generate.HostStepper;
import oclc.ir.ValueInfo;
import oclc.runtime.LaunchPlan;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.JavaDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes the profile's GB/s divides, on a decode step of the bundled GPT-2 with its KV cache: a
 * matmul counts its packed weights, a Gather the rows it reads (not its table), a cache append the
 * new rows (not the cache).
 */
class NodeTrafficTest {
  private static final Path MODEL = Path.of("..", "examples", "gpt2-tiny-past", "model.onnx");
  @TempDir Path folder;

  @Test
  void aDecodeStepCountsPackedWeightsGatheredRowsAndAppendedRows() {
    var graph = LoadedModel.load(MODEL).simplified();
    try (JavaExecutable executable =
            JavaDevice.compile(
                MODEL, folder.resolve("gpt2.oclc"), SessionOnDeviceTest.GPT2_RANGES);
        Session session = executable.newSession()) {
      Map<String, long[]> empty = new LinkedHashMap<>();
      for (ValueInfo in : graph.inputs().subList(1, graph.inputs().size())) {
        empty.put(in.name(), HostStepper.emptyPast(in).shape());
      }
      CachedStepper stepper = new CachedStepper(session, "input_ids", "logits", empty);
      stepper.step(new long[] {464, 329, 1, 77, 250});
      stepper.step(new long[] {17});
      LaunchPlan plan = session.currentPlan();
      Manifest manifest = executable.manifest();
      Map<String, BufferSpec> buffers = new LinkedHashMap<>();
      manifest.buffers().forEach(b -> buffers.put(b.name(), b));
      ToLongFunction<String> symbols = plan.symbols()::get;
      assertEquals(5L, plan.symbols().get("past_sequence_length"));

      NodeLaunches gemm = first(manifest, "Gemm");
      long packedWeights =
          plan.launch(gemm.name()).dispatches().getFirst().buffers().stream()
              .map(buffers::get)
              .filter(b -> b.kind() == BufferKind.PARAM)
              .mapToLong(b -> b.bytes(symbols))
              .sum();
      long gemmBytes = NodeTraffic.bytes(plan.launch(gemm.name()), gemm, buffers, symbols);
      long activations =
          bytes(buffers, gemm.inputs().getFirst(), symbols)
              + bytes(buffers, gemm.outputs().getFirst(), symbols);
      assertTrue(packedWeights > 0, "the Gemm's dispatch names its packed weights");
      assertEquals(packedWeights + activations, gemmBytes, gemm.name());

      NodeLaunches gather =
          manifest.nodes().stream()
              .filter(
                  n ->
                      n.opType().equals("Gather")
                          && buffers.get(n.inputs().getFirst()).kind() == BufferKind.PARAM)
              .findFirst()
              .orElseThrow();
      long row = bytes(buffers, gather.outputs().getFirst(), symbols);
      assertEquals(
          2 * row + bytes(buffers, gather.inputs().get(1), symbols),
          NodeTraffic.bytes(plan.launch(gather.name()), gather, buffers, symbols),
          gather.name());
      assertTrue(
          row < bytes(buffers, gather.inputs().getFirst(), symbols) / 100, "one row of the table");

      NodeLaunches append =
          manifest.nodes().stream()
              .filter(
                  n ->
                      n.opType().equals("Concat")
                          && n.outputs()
                              .getFirst()
                              .equals(buffers.get(n.inputs().getFirst()).viewOf()))
              .findFirst()
              .orElseThrow();
      long newRows = bytes(buffers, append.inputs().get(1), symbols);
      assertEquals(
          2 * newRows,
          NodeTraffic.bytes(plan.launch(append.name()), append, buffers, symbols),
          append.name());
      assertEquals(
          6 * newRows,
          bytes(buffers, append.outputs().getFirst(), symbols),
          "the cache holds six steps' rows");
    }
  }

  private static NodeLaunches first(Manifest manifest, String opType) {
    return manifest.nodes().stream()
        .filter(n -> n.opType().equals(opType))
        .findFirst()
        .orElseThrow();
  }

  private static long bytes(
      Map<String, BufferSpec> buffers, String name, ToLongFunction<String> symbols) {
    return buffers.get(name).bytes(symbols);
  }
}
