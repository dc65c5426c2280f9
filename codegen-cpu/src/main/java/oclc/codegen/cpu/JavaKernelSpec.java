package oclc.codegen.cpu;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.codegen.cpu.kernels.CpuKernel;
import oclc.codegen.cpu.kernels.HostValues;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Tensor;

/**
 * What one Java kernel computes, as the artifact records it ({@code kernels/NAME.json}): the spec's
 * class ({@code "kernel"}) and its compile-time choices. Sizes are not here: a kernel learns them
 * from its operands when a session binds it (plan time), and the dispatch's scalar arguments (dims
 * over the symbols) carry what the shapes alone do not say.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "kernel")
public sealed interface JavaKernelSpec {

  /**
   * The spec a kernel file of a Java artifact holds; a text that is not one (damaged, or naming a
   * class that is not one of oclc's kernel specs) throws, and nothing else is loaded.
   */
  static JavaKernelSpec read(String json) throws java.io.IOException {
    try {
      return oclc.artifact.ArtifactJson.mapper().readValue(json, JavaKernelSpec.class);
    } catch (IllegalArgumentException e) {
      // Jackson parses a type name with '<' as a generic type before validating it, and throws
      // this where the name is none (found by JavaKernelSpecFuzzTest)
      throw new java.io.IOException("the kernel names no class: " + e.getMessage(), e);
    }
  }

  /**
   * A kernel a family brings in its own class (its Java lowering, spec and kernel side by side):
   * the spec makes its kernel. The artifact records it by class, so no list here names it.
   */
  non-sealed interface Own extends JavaKernelSpec {
    CpuKernel kernel(WorkerPool pool, HostValues host);
  }

  /**
   * Whether a Vector API kernel computes it (false: the op's scalar reference evaluation, the
   * labelled fallback).
   */
  default boolean vectorized() {
    return true;
  }

  /**
   * float32 {@code y = op(x)}; {@code exponent} for {@code PowInt} (x to a small whole power, as
   * multiplications); {@code scalars}: the values of the number attributes the op's definition
   * declares, in its order.
   */
  record Unary(String op, int exponent, float[] scalars) implements JavaKernelSpec {}

  /**
   * {@code kernel}, a float32 kernel, over float16 operands held as 16-bit values: converted to
   * float32 when it reads them and back when it has written its last {@code outputs} operands
   * ({@code kernels.Float16Staging}).
   */
  record Float16(JavaKernelSpec kernel, int outputs) implements JavaKernelSpec {
    @Override
    public boolean vectorized() {
      return kernel.vectorized();
    }
  }

  /** float32 {@code c = a op b} with broadcasting. */
  record Binary(String op) implements JavaKernelSpec {}

  /** float32 {@code Where(condition, x, y)} with broadcasting; the condition is bool. */
  record Where() implements JavaKernelSpec {}

  /**
   * Cast, a comparison or a bool logic op over any supported element types, with broadcasting
   * (plain Java).
   */
  record Typed(String op) implements JavaKernelSpec {}

  /**
   * {@code C = A · B (+ bias)} over B packed at compile time ({@code linalg.PackedMatrix}); kind
   * GEMV or GEMM.
   */
  record PackedMatMul(String kind, int k, int n, boolean bias) implements JavaKernelSpec {}

  /**
   * {@code C = A · B (+ bias)} of float16 A and C over float16 B packed at compile time in {@code
   * linalg.PackedMatrix}'s layout, summed in float32; the bias float32.
   */
  record HalfPackedMatMul(int k, int n, boolean bias) implements JavaKernelSpec {}

  /**
   * float32 [..., M, K] · [..., K, N] of two activations (attention), operands read through their
   * strides.
   */
  record BatchedMatMul() implements JavaKernelSpec {}

  /** float32 Softmax or LogSoftmax over the last axis. */
  record Softmax(boolean log) implements JavaKernelSpec {}

  /**
   * float32 LayerNormalization over the axes from {@code axis} on (normalized to the input's rank).
   */
  record LayerNorm(int axis, float epsilon) implements JavaKernelSpec {}

  /**
   * float32 RMSNormalization over the axes from {@code axis} on: LayerNormalization's row kernel
   * without the centring and the shift.
   */
  record RmsNorm(int axis, float epsilon) implements JavaKernelSpec {}

  /**
   * float32 ReduceSum/Mean/Max/Min/SumSquare/L1/L2 over the axes from {@code axis} on (rows of at
   * least one element).
   */
  record Reduce(String op, int axis) implements JavaKernelSpec {}

  /** Gather along {@code axis} (normalized), any element type, int32 or int64 indices. */
  record Gather(int axis) implements JavaKernelSpec {}

  /**
   * A strided copy of any element type over {@code axes} axes; scalars: input offset, output
   * offset, extents, input strides, output strides (elements).
   */
  record StridedCopy(int axes) implements JavaKernelSpec {}

  /** Range of int64 or int32; scalars: start and delta (dims over the symbols). */
  record Range() implements JavaKernelSpec {}

  /**
   * The fallback: the op's reference evaluation on tensors copied out of and back into the buffers.
   */
  record Reference(NodeSpec node, long opset) implements JavaKernelSpec {
    @Override
    public boolean vectorized() {
      return false;
    }
  }

  /** A node as the fallback needs it: op, inputs, outputs and attributes. */
  record NodeSpec(
      String name,
      String domain,
      String opType,
      List<String> inputs,
      List<String> outputs,
      Map<String, AttributeSpec> attributes) {

    public static NodeSpec of(Node node) {
      Map<String, AttributeSpec> attributes = new LinkedHashMap<>();
      node.attributes()
          .byName()
          .forEach((name, value) -> attributes.put(name, AttributeSpec.of(name, value)));
      return new NodeSpec(
          node.name(), node.domain(), node.opType(), node.inputs(), node.outputs(), attributes);
    }

    public Node toNode() {
      Map<String, Attribute> byName = new LinkedHashMap<>();
      attributes.forEach((name, value) -> byName.put(name, value.toAttribute()));
      return new Node(name, domain, opType, inputs, outputs, new Attributes(byName));
    }
  }

  /** One attribute: exactly one of the fields is set, as its kind says. */
  record AttributeSpec(
      String kind,
      Float f,
      Long i,
      String s,
      float[] floats,
      long[] ints,
      List<String> strings,
      TensorData tensor,
      List<TensorData> tensors) {

    static AttributeSpec of(String name, Attribute a) {
      return switch (a) {
        case Attribute.FloatValue v ->
            new AttributeSpec("float", v.value(), null, null, null, null, null, null, null);
        case Attribute.IntValue v ->
            new AttributeSpec("int", null, v.value(), null, null, null, null, null, null);
        case Attribute.StringValue v ->
            new AttributeSpec("string", null, null, v.value(), null, null, null, null, null);
        case Attribute.Floats v ->
            new AttributeSpec("floats", null, null, null, v.values(), null, null, null, null);
        case Attribute.Ints v ->
            new AttributeSpec("ints", null, null, null, null, v.values(), null, null, null);
        case Attribute.Strings v ->
            new AttributeSpec("strings", null, null, null, null, null, v.values(), null, null);
        case Attribute.TensorValue v ->
            new AttributeSpec(
                "tensor", null, null, null, null, null, null, TensorData.of(v.value()), null);
        case Attribute.Tensors v ->
            new AttributeSpec(
                "tensors",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                v.values().stream().map(TensorData::of).toList());
        case Attribute.GraphValue g ->
            throw new IllegalArgumentException("attribute '" + name + "' is a graph");
        case Attribute.Graphs g ->
            throw new IllegalArgumentException("attribute '" + name + "' is a list of graphs");
        case Attribute.TypeValue t ->
            throw new IllegalArgumentException("attribute '" + name + "' is a type");
        case Attribute.TypeValues t ->
            throw new IllegalArgumentException("attribute '" + name + "' is a list of types");
      };
    }

    Attribute toAttribute() {
      return switch (kind) {
        case "float" -> new Attribute.FloatValue(f);
        case "int" -> new Attribute.IntValue(i);
        case "string" -> new Attribute.StringValue(s);
        case "floats" -> new Attribute.Floats(floats);
        case "ints" -> new Attribute.Ints(ints);
        case "strings" -> new Attribute.Strings(strings);
        case "tensor" -> new Attribute.TensorValue(tensor.toTensor());
        case "tensors" ->
            new Attribute.Tensors(tensors.stream().map(TensorData::toTensor).toList());
        default -> throw new IllegalArgumentException("unknown attribute kind '" + kind + "'");
      };
    }
  }

  /**
   * A small tensor (an attribute's value) written out whole: element type, shape, little-endian
   * bytes in base64.
   */
  record TensorData(DType dtype, long[] shape, String base64) {
    static TensorData of(Tensor t) {
      var bytes = t.data().duplicate();
      byte[] raw = new byte[bytes.remaining()];
      bytes.get(raw);
      return new TensorData(t.dtype(), t.shape(), Base64.getEncoder().encodeToString(raw));
    }

    Tensor toTensor() {
      byte[] raw = Base64.getDecoder().decode(base64);
      return Tensor.wrap(
          dtype, shape, java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN));
    }
  }
}
