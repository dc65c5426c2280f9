package oclc.ir.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.SymbolicTensor;
import oclc.ir.Tensor;

/** Broadcasting loops shared by the elementwise ops, over concrete and symbolic tensors. */
public final class ElementwiseKernels {
  private ElementwiseKernels() {}

  /** Computes one output element from the broadcast input elements at {@code indices}. */
  public interface ElementFunction {
    void apply(Tensor out, int outIndex, List<Tensor> inputs, int[] indices);
  }

  /** Broadcasts {@code inputs} and fills a new tensor of {@code outType} element by element. */
  public static Tensor broadcast(List<Tensor> inputs, DType outType, ElementFunction f) {
    long[][] shapes = inputs.stream().map(Tensor::shape).toArray(long[][]::new);
    long[] outShape = Broadcast.shapes(shapes);
    Tensor out = Tensor.allocate(outType, outShape);
    int[][] maps = new int[inputs.size()][];
    for (int k = 0; k < inputs.size(); k++) {
      maps[k] = Broadcast.indexMap(outShape, shapes[k]);
    }
    int[] indices = new int[inputs.size()];
    for (int i = 0; i < out.size(); i++) {
      for (int k = 0; k < maps.length; k++) {
        indices[k] = maps[k][i];
      }
      f.apply(out, i, inputs, indices);
    }
    return out;
  }

  /** The same over tensors of dims; empty when {@code f} cannot decide some element. */
  public static Optional<SymbolicTensor> broadcastSymbolic(
      List<SymbolicTensor> inputs, DType outType, Function<List<Dim>, Optional<Dim>> f) {
    long[][] shapes = inputs.stream().map(SymbolicTensor::shape).toArray(long[][]::new);
    long[] outShape = Broadcast.shapes(shapes);
    int size = Tensor.elementCount(outShape);
    int[][] maps = new int[inputs.size()][];
    for (int k = 0; k < inputs.size(); k++) {
      maps[k] = Broadcast.indexMap(outShape, shapes[k]);
    }
    List<Dim> elements = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      List<Dim> args = new ArrayList<>(inputs.size());
      for (int k = 0; k < maps.length; k++) {
        args.add(inputs.get(k).element(maps[k][i]));
      }
      Optional<Dim> result = f.apply(args);
      if (result.isEmpty()) {
        return Optional.empty();
      }
      elements.add(result.get());
    }
    return Optional.of(new SymbolicTensor(outType, outShape, elements));
  }

  /** Every input known as dims, or empty. */
  public static Optional<List<SymbolicTensor>> symbolicInputs(oclc.ir.InferenceContext context) {
    List<SymbolicTensor> inputs = new ArrayList<>();
    for (int i = 0; i < context.inputCount(); i++) {
      Optional<SymbolicTensor> s = context.symbolicInput(i);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      inputs.add(s.get());
    }
    return Optional.of(inputs);
  }

  public static Dim bool(boolean value) {
    return Dim.of(value ? 1 : 0);
  }
}
