package oclc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedDispatch;
import org.junit.jupiter.api.Test;

/**
 * The backend-neutral session over a backend of byte arrays whose one kernel copies its first
 * buffer into its second: binding, plans, slots by liveness, the launch checks and reads, without a
 * device. A chain {@code x → a → b → y} of copies: {@code a} and {@code y} share a slot.
 */
class SessionTest {
  private static final Dim N = Dim.symbol("n");

  /**
   * Byte arrays; a variant copies its first buffer's bytes into its second, and counts its binds.
   */
  private static final class ArrayBackend implements Backend<byte[]> {
    final List<String> allocated = new ArrayList<>();
    int binds;
    int launches;
    boolean closed;

    @Override
    public byte[] allocate(long bytes, String what) {
      allocated.add(what);
      return new byte[(int) bytes];
    }

    @Override
    public void release(byte[] buffer) {}

    @Override
    public byte[] param(String name) {
      throw new AssertionError("no params");
    }

    @Override
    public void write(
        String input, Tensor tensor, SymbolBindings symbols, MemoryPlanner<byte[]> memory) {
      tensor.data().duplicate().get(memory.bufferOf(input), 0, tensor.data().remaining());
    }

    @Override
    public Tensor read(
        String value, Tensor reuse, SymbolBindings symbols, MemoryPlanner<byte[]> memory) {
      BufferSpec spec = memory.spec(value);
      long[] shape = spec.shape().stream().mapToLong(d -> d.evaluate(symbols)).toArray();
      int bytes = (int) spec.bytes(symbols);
      ByteBuffer into =
          ByteBuffer.allocate(bytes)
              .order(ByteOrder.LITTLE_ENDIAN)
              .put(memory.bufferOf(value), 0, bytes);
      return Tensor.inMemory(spec.dtype(), shape, into.flip());
    }

    @Override
    public void poison(byte[] buffer, long bytes) {
      java.util.Arrays.fill(buffer, (byte) 0xFF);
    }

    @Override
    public Tensor unbuffered(String value) {
      throw new IllegalArgumentException("no buffer holds '" + value + "'");
    }

    @Override
    public void planStarted() {}

    @Override
    public BoundVariant<byte[]> variant(NodeLaunches node, Variant variant) {
      return new BoundVariant<>() {
        private byte[] from;
        private byte[] to;
        private int bytes;

        @Override
        public void bind(SymbolBindings symbols, MemoryPlanner<byte[]> memory) {
          List<Argument> arguments = variant.dispatches().getFirst().arguments();
          String in = ((Argument.Buffer) arguments.get(0)).buffer();
          from = memory.bufferOf(in);
          to = memory.bufferOf(((Argument.Buffer) arguments.get(1)).buffer());
          bytes = (int) memory.spec(in).bytes(symbols);
          binds++;
        }

        @Override
        public void launch(List<TimingRecord> timings) {
          System.arraycopy(from, 0, to, 0, bytes);
          launches++;
          if (timings != null) {
            timings.add(
                new LaunchTiming(
                    node.name(),
                    node.opType(),
                    variant.name(),
                    "copy",
                    List.of((long) bytes),
                    System.nanoTime(),
                    1));
          }
        }

        @Override
        public List<PlannedDispatch> describe() {
          return List.of(
              new PlannedDispatch("copy", List.of(), List.of((long) bytes), List.of(), false));
        }
      };
    }

    @Override
    public void finish() {}

    @Override
    public void close() {
      closed = true;
    }
  }

  private static NodeLaunches copy(String name, String from, String to) {
    Variant small =
        new Variant(
            "small",
            List.of(new Condition(N, 1, 8)),
            List.of(
                new Dispatch(
                    "copy",
                    List.of(new Argument.Buffer(from), new Argument.Buffer(to)),
                    List.of(N),
                    List.of())));
    Variant any =
        new Variant(
            "any",
            List.of(),
            List.of(
                new Dispatch(
                    "copy",
                    List.of(new Argument.Buffer(from), new Argument.Buffer(to)),
                    List.of(N),
                    List.of())));
    return new NodeLaunches(name, "Identity", List.of(from), List.of(to), List.of(small, any));
  }

  private static Manifest chain() {
    List<BufferSpec> buffers =
        List.of(
            BufferSpec.value("x", DType.FLOAT32, List.of(N), BufferKind.INPUT),
            BufferSpec.value("a", DType.FLOAT32, List.of(N), BufferKind.INTERMEDIATE),
            BufferSpec.value("b", DType.FLOAT32, List.of(N), BufferKind.INTERMEDIATE),
            BufferSpec.value("y", DType.FLOAT32, List.of(N), BufferKind.OUTPUT));
    NodeLaunches last = copy("third", "b", "y");
    last =
        new NodeLaunches(
            last.name(),
            last.opType(),
            last.inputs(),
            last.outputs(),
            last.variants(),
            List.of("fused_away"),
            List.of("inside"));
    return new Manifest(
        Manifest.FORMAT_VERSION,
        "test",
        "chain",
        "",
        List.of(new Manifest.SymbolRange("n", 0, 64)),
        List.of(new Manifest.TensorSpec("x", DType.FLOAT32, List.of(N))),
        List.of(new Manifest.TensorSpec("y", DType.FLOAT32, List.of(N))),
        List.of(),
        buffers,
        List.of(),
        List.of(copy("first", "x", "a"), copy("second", "a", "b"), last),
        Manifest.OPENCL,
        false);
  }

  private static Session open(Manifest manifest, ArrayBackend backend) {
    return Session.open(
        manifest, PlanReuse.dependenciesOfNodes(manifest), backend, ParamsCheck.none());
  }

  @Test
  void runsTheChainAndReadsItsOutput() {
    ArrayBackend backend = new ArrayBackend();
    try (Session session = open(chain(), backend)) {
      session.bind("x", Tensor.ofFloats(new long[] {3}, 1, 2, 3)).run();
      assertArrayEquals(new float[] {1, 2, 3}, session.output("y").toFloatArray());
      assertArrayEquals(new float[] {1, 2, 3}, session.read("b").toFloatArray());
      assertEquals(List.of("small", "any"), session.currentPlan().launch("first").admitted());
      assertEquals(
          2, session.currentPlan().slots(), "a and y share a slot: a is dead once b is made");
      OclcException overwritten = assertThrows(OclcException.class, () -> session.read("a"));
      assertTrue(
          overwritten.getMessage().contains("'a' was overwritten by 'y'"),
          overwritten.getMessage());
    }
    assertTrue(backend.closed, "the session closes its backend");
  }

  @Test
  void aPlanWhoseSymbolsStandBindsNothingAgain() {
    ArrayBackend backend = new ArrayBackend();
    try (Session session = open(chain(), backend)) {
      session.bind("x", Tensor.ofFloats(new long[] {3}, 1, 2, 3)).plan();
      int binds = backend.binds;
      session.bind("x", Tensor.ofFloats(new long[] {3}, 4, 5, 6)).run();
      assertEquals(binds, backend.binds);
      assertArrayEquals(new float[] {4, 5, 6}, session.output("y").toFloatArray());
      session.bind("x", Tensor.ofFloats(new long[] {9}, 1, 2, 3, 4, 5, 6, 7, 8, 9)).run();
      assertEquals(
          "any",
          session.currentPlan().launch("first").variant(),
          "n = 9 is past the small variant");
      assertArrayEquals(
          new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, session.output("y").toFloatArray());
    }
  }

  @Test
  void launchesAreCheckedAndSayWhatIsWrong() {
    try (Session session = open(chain(), new ArrayBackend())) {
      assertThrows(IllegalStateException.class, () -> session.launch("first", "small"));
      session.bind("x", Tensor.ofFloats(new long[] {9}, new float[9])).plan();
      assertMessage("does not admit the bound shapes", () -> session.launch("first", "small"));
      assertMessage("has no variant 'big'", () -> session.launch("first", "big"));
      assertMessage("the model has no node 'fourth'", () -> session.launch("fourth", "any"));
      assertMessage(
          "was fused into the launch of 'third'", () -> session.launch("fused_away", "any"));
      session.launch("first", "any");
      assertMessage("'b' has not been computed yet", () -> session.read("b"));
      assertMessage("computed inside the fused launch of 'third'", () -> session.read("inside"));
      assertMessage("no buffer holds 'nothing'", () -> session.read("nothing"));
      assertMessage("the model has no output 'b'", () -> session.output("b"));
      assertThrows(
          UnsupportedOperationException.class,
          () -> session.replaceKernel("first", "any", 0, "kernel"));
      assertMessage("has no dispatch 1", () -> session.replaceKernel("first", "any", 1, "kernel"));
    }
  }

  @Test
  void anInputOutsideItsCompiledRangeNamesTheRange() {
    try (Session session = open(chain(), new ArrayBackend())) {
      session.bind("x", Tensor.ofFloats(new long[] {65}, new float[65]));
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertTrue(e.getMessage().contains("outside the compiled range 0..64"), e.getMessage());
    }
  }

  /**
   * The chain with a mask input whose length {@code m} shape inference unified with {@code n}: the
   * bind checks the unification and names both inputs.
   */
  private static Manifest chainWithMask() {
    Manifest m = chain();
    Dim mask = Dim.symbol("m");
    List<BufferSpec> buffers = new java.util.ArrayList<>(m.buffers());
    buffers.add(BufferSpec.value("mask", DType.FLOAT32, List.of(mask), BufferKind.INPUT));
    return new Manifest(
        m.formatVersion(),
        m.oclcVersion(),
        m.model(),
        m.modelSha256(),
        List.of(
            new Manifest.SymbolRange("n", 0, 64, "dim", ""),
            new Manifest.SymbolRange("m", 0, 64, "unified", "= n (broadcast in Add 'masked')")),
        List.of(
            new Manifest.TensorSpec("x", DType.FLOAT32, List.of(N)),
            new Manifest.TensorSpec("mask", DType.FLOAT32, List.of(mask))),
        m.outputs(),
        List.of(new Manifest.Assumption(mask, N, "broadcast in Add 'masked'", true)),
        buffers,
        m.kernels(),
        m.nodes(),
        Manifest.OPENCL,
        false);
  }

  @Test
  void aMaskOfTheWrongLengthBreaksTheUnificationAndTheErrorNamesBothInputs() {
    try (Session session = open(chainWithMask(), new ArrayBackend())) {
      session
          .bind("x", Tensor.ofFloats(new long[] {3}, 1, 2, 3))
          .bind("mask", Tensor.ofFloats(new long[] {3}, 0, 0, 0))
          .run();
      assertArrayEquals(new float[] {1, 2, 3}, session.output("y").toFloatArray());
      session.bind("mask", Tensor.ofFloats(new long[] {4}, 0, 0, 0, 0));
      InputShapeException e = assertThrows(InputShapeException.class, session::plan);
      assertEquals(
          "the inputs give m = 4 (mask dim 0), but the model needs it equal to n = 3 (x dim 0)"
              + " (broadcast in Add 'masked')",
          e.getMessage());
    }
  }

  @Test
  void profilingRecordsEveryDispatchAndEmptyOutputsLaunchNothing() {
    ArrayBackend backend = new ArrayBackend();
    try (Session session = open(chain(), backend).profile(true)) {
      session.bind("x", Tensor.ofFloats(new long[] {2}, 1, 2)).run();
      assertEquals(
          List.of("first", "second", "third"),
          session.timings().stream().map(LaunchTiming::node).toList());
      int launches = backend.launches;
      session.bind("x", Tensor.ofFloats(new long[] {0})).run();
      assertEquals(launches, backend.launches, "every output is empty");
      assertTrue(session.timings().isEmpty());
      for (LaunchPlan.PlannedLaunch planned : session.currentPlan()) {
        assertTrue(
            planned.dispatches().stream().allMatch(LaunchPlan.PlannedDispatch::skipped),
            planned.node() + ": the plan says its dispatches are skipped");
      }
      session.bind("x", Tensor.ofFloats(new long[] {2}, 1, 2)).plan();
      assertTrue(
          session.currentPlan().launch("first").dispatches().stream().noneMatch(d -> d.skipped()),
          "with elements again, nothing is skipped");
    }
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    RuntimeException e = assertThrows(RuntimeException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
