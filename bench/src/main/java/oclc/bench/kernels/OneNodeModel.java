package oclc.bench.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.artifact.Folders;
import oclc.cache.KernelCache;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.passes.Passes;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchPlan;
import oclc.runtime.OpenClContext;
import oclc.runtime.Session;

/**
 * A model of one node with static shapes, compiled through the public path (passes, lowering,
 * artifact, kernel cache) and planned once on random inputs, so that a benchmark times exactly one
 * node's launch: {@code Session.launch} of the planned variant, then {@code finish}.
 */
public final class OneNodeModel implements AutoCloseable {
  /** The node's name in every model built here. */
  public static final String NODE = "node";

  private final Path folder;
  private final Graph graph;
  private final Map<String, Tensor> inputs;
  private final Executable executable;
  private final Session session;
  private final String variant;

  private OneNodeModel(
      Path folder, Graph graph, Map<String, Tensor> inputs, Executable executable) {
    this.folder = folder;
    this.graph = graph;
    this.inputs = inputs;
    this.executable = executable;
    this.session = executable.newSession();
    inputs.forEach(session::bind);
    this.variant = session.plan().launch(NODE).variant();
  }

  /**
   * The specification of a one-node model: its op, attributes, graph inputs (random), constants
   * (random) and output.
   */
  public record Spec(
      String opType,
      Attributes attributes,
      long opset,
      List<Operand> operands,
      long[] outputShape) {}

  /**
   * An input of the node: a graph input bound to random data, or a constant folded into the
   * artifact (random, or {@code value} when given).
   */
  public record Operand(String name, long[] shape, boolean constant, Tensor value) {
    public static Operand input(String name, long... shape) {
      return new Operand(name, shape, false, null);
    }

    public static Operand constant(String name, long... shape) {
      return new Operand(name, shape, true, null);
    }

    public static Operand constant(String name, Tensor value) {
      return new Operand(name, value.shape(), true, value);
    }
  }

  public static OneNodeModel compile(Spec spec, OpenClContext device, KernelCache cache) {
    Random random = new Random(42);
    List<ValueInfo> graphInputs = new ArrayList<>();
    Map<String, Constant> constants = new LinkedHashMap<>();
    Map<String, Tensor> bound = new LinkedHashMap<>();
    for (Operand operand : spec.operands()) {
      Tensor values =
          operand.value() != null ? operand.value() : randomFloats(random, operand.shape());
      if (operand.constant()) {
        constants.put(operand.name(), new Constant.Data(values));
      } else {
        graphInputs.add(
            new ValueInfo(
                operand.name(), new TensorType(DType.FLOAT32, Shape.of(operand.shape()))));
        bound.put(operand.name(), values);
      }
    }
    ValueInfo output =
        new ValueInfo("y", new TensorType(DType.FLOAT32, Shape.of(spec.outputShape())));
    Node node =
        new Node(
            NODE,
            "",
            spec.opType(),
            spec.operands().stream().map(Operand::name).toList(),
            List.of("y"),
            spec.attributes());
    Graph graph =
        new Graph(
            "bench_" + spec.opType(),
            graphInputs,
            List.of(output),
            List.of(node),
            constants,
            Map.of(),
            List.of(),
            Map.of("", spec.opset()));
    Path folder = temporaryFolder();
    try {
      Path model =
          folder.resolve("model.onnx"); // hashed into the manifest; the graph itself is built here
      Files.writeString(model, graph.toString());
      Path artifact = folder.resolve("model.oclc");
      ModelCompiler.writeArtifact(
          new LoadedModel(model, graph, Passes.runStandard(graph)), artifact);
      Executable executable =
          Executable.load(
              artifact,
              device,
              cache,
              KernelBuilder.SILENT,
              w -> System.err.println("warning: " + w));
      return new OneNodeModel(folder, graph, bound, executable);
    } catch (IOException e) {
      Folders.deleteTree(folder);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      Folders.deleteTree(folder);
      throw e;
    }
  }

  private static Tensor randomFloats(Random random, long[] shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }

  /** The variant the plan chose for the node (e.g. a GEMV for one row). */
  public String variant() {
    return variant;
  }

  /** The planned launch of the node: its kernels, buffers and work sizes. */
  public LaunchPlan.PlannedLaunch planned() {
    return session.currentPlan().launch(NODE);
  }

  /** Enqueues the node's kernels, as planned. */
  public void launch() {
    session.launch(NODE, variant);
  }

  /** Waits for the device. */
  public void finish() {
    session.finish();
  }

  /** The output after a launch and finish. */
  public Tensor output() {
    return session.output("y");
  }

  /** The graph (for checking the output against the reference executor) and its bound inputs. */
  public Graph graph() {
    return graph;
  }

  public Map<String, Tensor> inputs() {
    return inputs;
  }

  @Override
  public void close() {
    session.close();
    executable.close();
    Folders.deleteTree(folder);
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("oclc-kernel-bench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for the artifact", e);
    }
  }
}
