package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.lowering.BroadcastGeometry;
import oclc.templates.KernelTemplates;

/**
 * Lowers a {@link Fusion.Group}: a chain as one kernel over the broadcast geometry of its shape, an
 * epilogue through its product's own lowering, with the group's code in the product's stores.
 */
final class FusedLowering {
  private static final String FAMILY = "elementwise";

  private FusedLowering() {}

  static List<Variant> lower(Fusion.Group group, LoweringContext context) {
    return group.anchor() == null
        ? chain(group, context)
        : MatMulLowering.lower(group.anchor(), context, epilogue(group, context));
  }

  private static List<Variant> chain(Fusion.Group group, LoweringContext context) {
    FusedCode code =
        FusedCode.of(
                null,
                group.members(),
                group.stored(),
                context,
                (leaf, leafShape, readerShape) -> Optional.of(List.of()))
            .orElseThrow();
    BroadcastGeometry geometry =
        BroadcastGeometry.of(
            group.shape(), code.leaves.stream().map(l -> context.shape(l.value())).toList());
    List<Integer> axes = IntStream.range(0, geometry.axisCount()).boxed().toList();
    boolean looped = geometry.axisCount() == 4;
    // Named by a hash of the code, so that the same chain in every layer is one kernel.
    String name =
        "fused_"
            + FusedCode.hash(chainSource("fused", code, axes, looped))
            + (looped ? "_4axes" : "");
    KernelSource kernel = new KernelSource(name, chainSource(name, code, axes, looped));
    List<Argument> arguments = new ArrayList<>();
    code.leaves.forEach(l -> arguments.add(context.read(l.value())));
    code.outputs.forEach(o -> arguments.add(context.write(o.value())));
    arguments.addAll(Scalars.ints(geometry.scalarArguments()));
    return List.of(
        new Variant(
            "fused",
            List.of(),
            List.of(context.dispatch(kernel, arguments, geometry.globalSize()))));
  }

  private static String chainSource(
      String kernelName, FusedCode code, List<Integer> axes, boolean looped) {
    return KernelTemplates.render(
        FAMILY,
        "fused",
        withCode(code, Map.of("kernelName", kernelName, "axes", axes, "looped", looped)));
  }

  /**
   * The group's code as an epilogue of its product: a panel of columns per call where the product's
   * panels are whole and the code computes as vectors (a scalar tanh per element cost the GEMM more
   * than the GELU kernels it saved), else one element per call.
   */
  private static Epilogue epilogue(Fusion.Group group, LoweringContext context) {
    Fusion.ProductSpace space = group.space();
    FusedCode scalar =
        FusedCode.of(
                group.anchorOutput(),
                group.members(),
                group.stored(),
                context,
                (leaf, leafShape, readerShape) ->
                    Fusion.productStrides(space, leafShape, readerShape))
            .orElseThrow();
    int width = MatMulLowering.wholePanelWidth(group.anchor(), context);
    Optional<FusedCode> vector = width > 1 ? scalar.vectorized() : Optional.empty();
    FusedCode code = vector.orElse(scalar);
    String type = vector.isPresent() ? "float" + width : "float";
    String lanes = vector.isPresent() ? String.valueOf(width) : "";
    Map<String, Object> parts = Map.of("leaves", code.leaves, "outputs", code.outputs);
    String generic = render("epilogue", code, vector.isPresent(), type, lanes);
    String name = "epilogue_" + FusedCode.hash(generic);
    List<Argument> buffers = new ArrayList<>();
    code.leaves.forEach(l -> buffers.add(context.read(l.value())));
    code.outputs.forEach(o -> buffers.add(context.write(o.value())));
    List<Dim> strides = new ArrayList<>();
    code.leaves.forEach(l -> strides.addAll(l.strides()));
    return new Epilogue(
        name,
        render(name, code, vector.isPresent(), type, lanes),
        KernelTemplates.render(FAMILY, "epilogueBuffers", parts),
        KernelTemplates.render(FAMILY, "epilogueScalars", Map.of("leaves", code.leaves)),
        KernelTemplates.render(FAMILY, "epilogueCall", parts),
        "_fused_" + FusedCode.hash(generic),
        buffers,
        Scalars.ints(strides),
        vector.isPresent());
  }

  private static String render(
      String functionName, FusedCode code, boolean vector, String type, String width) {
    return KernelTemplates.render(
        FAMILY,
        "epilogue",
        withCode(
            code,
            Map.of("functionName", functionName, "vector", vector, "type", type, "width", width)));
  }

  /** What the fused and epilogue templates take of the code: summary, leaves, outputs, steps. */
  private static Map<String, Object> withCode(FusedCode code, Map<String, Object> more) {
    Map<String, Object> all = new java.util.HashMap<>(more);
    all.put("comment", code.summary());
    all.put("leaves", code.leaves);
    all.put("outputs", code.outputs);
    all.put("steps", code.steps);
    return all;
  }
}
