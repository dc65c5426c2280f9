package oclc.codegen.opencl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenCL lowering of one kernel family, as the family's declaration ({@code oclc.families})
 * names it beside the Java one: per op of the family with a kernel, the {@link NodeLowering} that
 * picks its variants, or one lowering for every op of the family. An op the table does not hold has
 * no OpenCL kernel.
 */
public final class OpenClFamily {
  private final Map<String, NodeLowering> byOp;

  /** The lowering of the family's ops the table does not name; null: they have no kernel. */
  private final NodeLowering everyOp;

  private OpenClFamily(Map<String, NodeLowering> byOp, NodeLowering everyOp) {
    this.byOp = Collections.unmodifiableMap(new LinkedHashMap<>(byOp));
    this.everyOp = everyOp;
  }

  /** A family whose every op one lowering computes. */
  public static OpenClFamily of(NodeLowering everyOp) {
    return new Builder().everyOp(everyOp).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The lowering of {@code opType}, an op of the family; empty: no OpenCL kernel. */
  public Optional<NodeLowering> lowering(String opType) {
    return Optional.ofNullable(byOp.getOrDefault(opType, everyOp));
  }

  /** A family's table, op by op; a later entry for an op replaces an earlier one. */
  public static final class Builder {
    private final Map<String, NodeLowering> byOp = new LinkedHashMap<>();
    private NodeLowering everyOp;

    private Builder() {}

    public Builder op(String opType, NodeLowering lowering) {
      byOp.put(opType, lowering);
      return this;
    }

    /** How every op of the family that {@link #op} does not name is lowered. */
    public Builder everyOp(NodeLowering lowering) {
      everyOp = lowering;
      return this;
    }

    public OpenClFamily build() {
      return new OpenClFamily(byOp, everyOp);
    }
  }
}
