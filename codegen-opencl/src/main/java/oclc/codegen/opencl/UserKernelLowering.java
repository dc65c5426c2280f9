package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.lowering.Dims;
import oclc.lowering.SizeRanges;

/**
 * A user kernel as a node's variant: its arguments, work sizes and size ranges, written with the
 * node's names (docs/custom-kernels.md), become the same data as a generated variant's. Inputs are
 * passed as they are in the graph — weights unpacked, row-major — so that a user's dense kernel
 * sees plain matrices.
 */
final class UserKernelLowering {
  private UserKernelLowering() {}

  /** The names a user kernel may use for {@code node}: buffers, and sizes as dims. */
  record Names(Map<String, String> buffers, Map<String, Dim> sizes) {}

  static Variant lower(Node node, LoweringContext context, UserKernel kernel) {
    Names names = names(node, context);
    List<Argument> arguments = new ArrayList<>();
    for (String argument : kernel.arguments()) {
      String buffer = names.buffers().get(argument);
      if (buffer != null) {
        boolean written = node.outputs().contains(buffer);
        arguments.add(written ? context.write(buffer) : context.read(buffer));
      } else {
        arguments.add(new Argument.Int(size(argument, names, kernel)));
      }
    }
    List<Dim> global = kernel.globalSize().stream().map(e -> size(e, names, kernel)).toList();
    List<Dim> local =
        kernel.localSize().isEmpty()
            ? WorkGroups.localSize(global)
            : kernel.localSize().stream().map(e -> size(e, names, kernel)).toList();
    List<Condition> when = new ArrayList<>();
    for (String condition : kernel.when()) {
      int equals = condition.indexOf('=');
      if (equals < 0) {
        throw new OclcException(
            kernel.file() + ": '// oclc: when " + condition + "' must read NAME=MIN..MAX");
      }
      SizeRanges.Interval range = SizeRanges.Interval.parse(condition.substring(equals + 1));
      when.add(range.on(size(condition.substring(0, equals).strip(), names, kernel)));
    }
    String kernelName = context.kernel(new KernelSource(kernel.kernelName(), kernel.source()));
    return new Variant(
        "user:" + kernel.kernelName(),
        when,
        List.of(new oclc.artifact.Manifest.Dispatch(kernelName, arguments, global, local)));
  }

  /**
   * in0.., out0.. (and A, B, C, Y for MatMul/Gemm) as buffers; every dim and stride of them, and M,
   * N, K, batches.
   */
  static Names names(Node node, LoweringContext context) {
    Map<String, String> buffers = new LinkedHashMap<>();
    Map<String, Dim> sizes = new LinkedHashMap<>();
    for (int i = 0; i < node.inputs().size(); i++) {
      describe("in" + i, node.inputs().get(i), context, buffers, sizes);
    }
    for (int i = 0; i < node.outputs().size(); i++) {
      describe("out" + i, node.outputs().get(i), context, buffers, sizes);
    }
    if (Set.of("MatMul", "Gemm").contains(node.opType()) && node.inputs().size() >= 2) {
      String[] roles = {"A", "B", "C"};
      for (int i = 0; i < Math.min(3, node.inputs().size()); i++) {
        if (!node.inputs().get(i).isEmpty()) {
          buffers.put(roles[i], node.inputs().get(i));
        }
      }
      buffers.put("Y", node.outputs().get(0));
      matrixSizes(node, context, sizes);
    }
    return new Names(buffers, sizes);
  }

  private static void describe(
      String prefix,
      String value,
      LoweringContext context,
      Map<String, String> buffers,
      Map<String, Dim> sizes) {
    if (value.isEmpty()) {
      return;
    }
    buffers.put(prefix, value);
    List<Dim> shape = context.shape(value);
    List<Dim> strides = context.strides(value);
    for (int axis = 0; axis < shape.size(); axis++) {
      sizes.put(prefix + "_d" + axis, shape.get(axis));
      sizes.put(prefix + "_s" + axis, strides.get(axis));
    }
    sizes.put(prefix + "_size", Dims.product(shape));
  }

  /**
   * Y[batch, m, n] = Σ_k A[batch, m, k] · B[batch, k, n], with A's and B's distances between
   * batches (0: shared).
   */
  private static void matrixSizes(Node node, LoweringContext context, Map<String, Dim> sizes) {
    List<Dim> a = context.shape(node.inputs().get(0));
    List<Dim> b = context.shape(node.inputs().get(1));
    List<Dim> y = context.shape(node.outputs().get(0));
    Dim m = a.size() >= 2 ? a.get(a.size() - 2) : Dim.of(1);
    Dim k = a.getLast();
    Dim n = b.size() >= 2 ? b.getLast() : Dim.of(1);
    sizes.put("M", m);
    sizes.put("N", n);
    sizes.put("K", k);
    if (node.opType().equals("MatMul") && a.size() >= 2 && b.size() >= 2) {
      List<Dim> batchDims = y.subList(0, y.size() - 2);
      sizes.put("batches", Dims.product(batchDims));
      sizes.put(
          "aBatchStride",
          MatMulLowering.batchStride(context, node.inputs().get(0), batchDims, m.times(k)));
      sizes.put(
          "bBatchStride",
          MatMulLowering.batchStride(context, node.inputs().get(1), batchDims, k.times(n)));
    }
  }

  private static Dim size(String expression, Names names, UserKernel kernel) {
    Dim parsed = Dim.parse(expression);
    Dim value = parsed.substitute(names.sizes());
    for (String symbol : value.symbols()) {
      if (parsed.symbols().contains(symbol) && !names.sizes().containsKey(symbol)) {
        throw new OclcException(
            kernel.file()
                + ": '"
                + expression
                + "' names '"
                + symbol
                + "', which this node does not have; "
                + "its buffers are "
                + names.buffers().keySet()
                + " and its sizes "
                + names.sizes().keySet());
      }
    }
    return value;
  }
}
