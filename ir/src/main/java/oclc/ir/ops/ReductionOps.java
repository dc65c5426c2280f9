package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import oclc.ir.OpDefinition;

/** Reductions: Reduce*, ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax, CumSum. */
public final class ReductionOps {
  private ReductionOps() {}

  public static List<OpDefinition> definitions() {
    List<OpDefinition> all = new ArrayList<>(Reductions.definitions());
    all.add(new ArgExtremumOp(true));
    all.add(new ArgExtremumOp(false));
    all.add(new SoftmaxOp(SoftmaxOp.Kind.SOFTMAX));
    all.add(new SoftmaxOp(SoftmaxOp.Kind.LOG_SOFTMAX));
    all.add(new SoftmaxOp(SoftmaxOp.Kind.HARDMAX));
    all.add(new CumSumOp());
    all.add(new TopKOp());
    return all;
  }
}
