package oclc.tests.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import oclc.ir.DType;
import oclc.ir.Graph;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;

/** Freshly drawn GPT-2 inputs: token ids below the vocabulary of 500, Gaussian pasts. */
public final class Gpt2Inputs {
  private Gpt2Inputs() {}

  public static Map<String, Tensor> random(
      Graph graph, Random random, long batch, long sequence, long past) {
    Map<String, Long> symbols =
        Map.of("batch_size", batch, "sequence_length", sequence, "past_sequence_length", past);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs()) {
      Tensor t = Tensor.allocate(in.dtype(), in.shape().evaluate(symbols::get));
      for (int i = 0; i < t.size(); i++) {
        if (in.dtype() == DType.INT64) {
          t.setLong(i, random.nextInt(500));
        } else {
          t.setDouble(i, random.nextGaussian());
        }
      }
      inputs.put(in.name(), t);
    }
    return inputs;
  }
}
