package oclc.codegen.cpu.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.codegen.cpu.linalg.WorkerPool;
import oclc.ir.EvaluationContext;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.OpDefinition;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;

/**
 * The labelled fallback for ops without a Java kernel: the op's reference evaluation (scalar, one
 * thread) on tensors copied out of the input buffers, its results copied into the output buffers
 * or, for values whose shapes only the data decides, kept as host values. Unlike every other kernel
 * it allocates at launch (the tensors); {@code oclc ops} lists the ops that take it. Operands: one
 * per node input, then one per node output (null where the name is empty).
 */
final class ReferenceKernel extends CpuKernel {
  private final Node node;
  private final long opset;
  private final OpDefinition op;
  private final HostValues host;
  private Operand[] operands;

  ReferenceKernel(WorkerPool pool, Node node, long opset, HostValues host) {
    super(pool);
    this.node = node;
    this.opset = opset;
    this.op =
        OpRegistry.standard()
            .find(node)
            .orElseThrow(() -> new OclcException(node + ": the op is not supported"));
    this.host = host;
  }

  @Override
  public void bind(Operand[] buffers, long[] scalars) {
    operands = buffers;
    split(1, 1);
  }

  @Override
  public void run() {
    int inputs = node.inputs().size();
    List<Tensor> args = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      Operand o = operands[i];
      args.add(o == null ? null : o.hostHeld() ? host.get(o.name()) : TensorCopies.toTensor(o));
    }
    List<Tensor> results;
    try {
      results = op.evaluate(new EvaluationContext(node, opset, args));
    } catch (OclcException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new OclcException(node + ": evaluation failed: " + e, e);
    }
    for (int i = 0; i < node.outputs().size(); i++) {
      Operand o = operands[inputs + i];
      if (o == null) {
        continue;
      }
      Tensor result = results.get(i);
      if (o.hostHeld()) {
        host.put(o.name(), result);
      } else {
        if (!Arrays.equals(result.shape(), o.shape()) || result.dtype() != o.dtype()) {
          throw new OclcException(
              node
                  + ": output '"
                  + o.name()
                  + "' came out "
                  + result.dtype()
                  + Arrays.toString(result.shape())
                  + ", planned as "
                  + o.dtype()
                  + Arrays.toString(o.shape()));
        }
        TensorCopies.copy(result, o);
      }
    }
  }

  @Override
  protected void compute(long from, long to) {
    throw new UnsupportedOperationException("the reference evaluation runs whole");
  }
}
