package oclc.codegen.cpu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Node;

/**
 * The Java lowering of one kernel family, as the family's declaration ({@code oclc.families}) names
 * it beside the OpenCL one: per op of the family with a Java kernel, how it is computed (its kind)
 * and the lowering that picks its variants. An op the table does not hold, or a node its lowering
 * returns empty for (an element type, an attribute, a shape outside what the kernel takes), takes
 * the labelled reference fallback.
 */
public final class JavaFamily {
  /** A node's Java variants; empty where the kernel does not take it. */
  @FunctionalInterface
  public interface OpLowering {
    Optional<List<Variant>> lower(Node node, JavaLowering context);
  }

  /**
   * How the java backend computes an op: "vector" (Vector API kernel), "java" (plain Java loops),
   * "copy" (block copies), "view" (no copy).
   */
  private record Form(String kind, OpLowering lowering) {}

  /** A family with no Java kernel: every node of it takes the labelled reference fallback. */
  public static final JavaFamily REFERENCE_FALLBACK = new Builder().build();

  private final Map<String, Form> forms;

  /** The form of the family's ops the table does not name; null: they take the fallback. */
  private final Form everyOp;

  private final boolean symbolicSizes;

  private JavaFamily(Map<String, Form> forms, Form everyOp, boolean symbolicSizes) {
    this.forms = Collections.unmodifiableMap(new LinkedHashMap<>(forms));
    this.everyOp = everyOp;
    this.symbolicSizes = symbolicSizes;
  }

  private Optional<Form> form(String opType) {
    return Optional.ofNullable(forms.getOrDefault(opType, everyOp));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How it computes {@code opType} ("vector", "java", "copy", "view"); empty: the fallback. */
  public Optional<String> kind(String opType) {
    return form(opType).map(Form::kind);
  }

  /** Whether every node of the family takes the reference fallback. */
  public boolean referenceFallback() {
    return forms.isEmpty() && everyOp == null;
  }

  /**
   * The node's variants; empty where the family has no Java kernel for it. Views, copies and Range
   * take their shapes, axes and windows from the types and the folded dims ({@link
   * Builder#symbolicSizes}); the other kernels need every input's size at compile time.
   */
  Optional<List<Variant>> lower(Node node, JavaLowering context) {
    Optional<Form> form = form(node.qualifiedOpType());
    boolean symbolic = node.inputs().stream().anyMatch(i -> !i.isEmpty() && context.symbolic(i));
    return form.isEmpty() || symbolic && !symbolicSizes
        ? Optional.empty()
        : form.get().lowering().lower(node, context);
  }

  /** A family's table, op by op; a later entry for an op replaces an earlier one. */
  public static final class Builder {
    private final Map<String, Form> forms = new LinkedHashMap<>();
    private Form everyOp;
    private boolean symbolicSizes;

    private Builder() {}

    public Builder op(String opType, String kind, OpLowering lowering) {
      forms.put(opType, new Form(kind, lowering));
      return this;
    }

    /** How every op of the family that {@link #op} does not name is computed. */
    public Builder everyOp(String kind, OpLowering lowering) {
      everyOp = new Form(kind, lowering);
      return this;
    }

    /** Its kernels take inputs whose sizes only the bound symbols decide. */
    public Builder symbolicSizes() {
      symbolicSizes = true;
      return this;
    }

    public JavaFamily build() {
      return new JavaFamily(forms, everyOp, symbolicSizes);
    }
  }
}
