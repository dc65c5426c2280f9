package oclc.codegen.opencl;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.BufferKind;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.Dispatch;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.InferenceContext;
import oclc.ir.Node;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.lowering.KvCacheAppend;
import oclc.lowering.LoweringScope;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;

/**
 * What a lowering sees of the graph (types, constants, each node's inference context) and where it
 * records what it needs: kernels (shared by name), params (constants and packed weights) and views.
 */
final class LoweringContext extends LoweringScope {
  LoweringContext(Graph graph, SizeRanges ranges, Schedule schedule) {
    super(graph, ranges, schedule);
  }

  /** The KV caches the kv-cache-append pass recorded: present value → its cache. */
  Map<String, KvCacheAppend.Cache> caches() {
    return cacheLayouts().byPresent();
  }

  /** The cache a value lives in (a present output, or the past input it extends). */
  Optional<KvCacheAppend.Cache> cacheHolding(String value) {
    return cacheLayouts().holding(value);
  }

  /** A graph input's buffer (a past cache's is a view of its present). */
  BufferSpec inputBuffer(ValueInfo in) {
    return cacheLayouts().inputBuffer(in);
  }

  InferenceContext inference(Node node) {
    return InferenceContext.of(graph(), node);
  }

  TensorType type(String value) {
    return graph()
        .type(value)
        .orElseThrow(
            () ->
                new NotLowerableException(
                    "the shape of '" + value + "' is known only at run time"));
  }

  @Override
  public List<Dim> shape(String value) {
    return type(value).shape().dims();
  }

  DType dtype(String value) {
    return type(value).dtype();
  }

  /** An integer input known at compile time as dims (a constant, or folded shape arithmetic). */
  Optional<SymbolicTensor> dims(String value) {
    return switch (graph().constants().get(value)) {
      case Constant.Symbolic(SymbolicTensor s) -> Optional.of(s);
      case Constant.Data(Tensor t) when t.dtype().isInteger() -> Optional.of(SymbolicTensor.of(t));
      case null, default -> Optional.empty();
    };
  }

  /**
   * The buffer argument for a value a kernel reads: constants become params, stored as they are.
   */
  Argument.Buffer read(String value) {
    if (graph().constants().get(value) instanceof Constant.Symbolic) {
      throw new NotLowerableException(
          "'" + value + "' is shape arithmetic, known only when the symbols are bound");
    }
    constant(value).ifPresent(t -> param(value, t));
    type(value);
    return new Argument.Buffer(value);
  }

  /** The buffer argument for a value a kernel writes. */
  Argument.Buffer write(String value) {
    type(value);
    return new Argument.Buffer(value);
  }

  /** Registers a kernel; kernels of the same name must be the same source. */
  String kernel(KernelSource kernel) {
    return kernel(kernel.kernelName(), kernel.source());
  }

  /** A dispatch with the local size {@link WorkGroups} picks. */
  Dispatch dispatch(KernelSource kernel, List<Argument> arguments, List<Dim> globalSize) {
    return new Dispatch(kernel(kernel), arguments, globalSize, WorkGroups.localSize(globalSize));
  }

  Dispatch dispatch(
      KernelSource kernel, List<Argument> arguments, List<Dim> globalSize, List<Dim> localSize) {
    return new Dispatch(kernel(kernel), arguments, globalSize, localSize);
  }

  static BufferKind kindOf(Graph graph, String value) {
    if (graph.inputs().stream().anyMatch(in -> in.name().equals(value))) {
      return BufferKind.INPUT;
    }
    return graph.outputs().stream().anyMatch(o -> o.name().equals(value))
        ? BufferKind.OUTPUT
        : BufferKind.INTERMEDIATE;
  }
}
