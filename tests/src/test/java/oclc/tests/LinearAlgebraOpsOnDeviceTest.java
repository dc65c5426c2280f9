package oclc.tests;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import oclc.ir.Attribute;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.Test;

/**
 * The strided product (Gemm of activations, MatMul of vectors and partly broadcast batches, Einsum)
 * and RotaryEmbedding, each a one-node model compiled for the device and run into poisoned buffers
 * on random inputs, against the reference op. Inputs marked constant become compile-time constants.
 */
class LinearAlgebraOpsOnDeviceTest {

  private static void check(
      String opType,
      Map<String, Attribute> attributes,
      long opset,
      Set<Integer> constant,
      Tensor... inputs) {
    OneNodeOnDevice.check(
        opType, attributes, opset, constant, OneNodeOnDevice.elementwise(1e-5, 1e-5), inputs);
  }

  private static final Random RANDOM = new Random(2026);

  private static Tensor floats(long... shape) {
    return Reference.random(RANDOM, false, shape);
  }

  private static Tensor typed(DType type, long... shape) {
    Tensor t = Tensor.allocate(type, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setDouble(i, RANDOM.nextInt(7) - 3);
    }
    return t;
  }

  private static Map<String, Attribute> gemm(int transA, int transB, float alpha, float beta) {
    return Map.of(
        "transA",
        new Attribute.IntValue(transA),
        "transB",
        new Attribute.IntValue(transB),
        "alpha",
        new Attribute.FloatValue(alpha),
        "beta",
        new Attribute.FloatValue(beta));
  }

  @Test
  void gemmOfActivationsTransposesScalesAndBroadcastsCOfEveryShape() {
    long m = 5;
    long k = 7;
    long n = 6;
    for (int transA = 0; transA <= 1; transA++) {
      for (int transB = 0; transB <= 1; transB++) {
        Tensor a = transA == 1 ? floats(k, m) : floats(m, k);
        Tensor b = transB == 1 ? floats(n, k) : floats(k, n);
        var attributes = gemm(transA, transB, 0.5f, -2f);
        check("Gemm", attributes, 13, Set.of(), a, b);
        for (long[] cShape : new long[][] {{}, {1}, {n}, {1, n}, {m, 1}, {m, n}}) {
          check("Gemm", attributes, 13, Set.of(), a, b, floats(cShape));
          check("Gemm", attributes, 13, Set.of(2), a, b, floats(cShape));
        }
      }
    }
  }

  @Test
  void gemmWithConstantWeightsTakesTheStridedProductWhereThePackedOneCannot() {
    check(
        "Gemm", gemm(1, 0, 1.5f, 0.5f), 13, Set.of(1, 2), floats(4, 3), floats(4, 5), floats(3, 5));
    check("Gemm", gemm(0, 1, 1f, 1f), 13, Set.of(1), floats(3, 4), floats(5, 4), floats(3, 1));
  }

  @Test
  void matMulOfVectorsAndPartlyBroadcastBatches() {
    check("MatMul", Map.of(), 13, Set.of(), floats(6), floats(6));
    check("MatMul", Map.of(), 13, Set.of(), floats(6), floats(2, 3, 6, 4));
    check("MatMul", Map.of(), 13, Set.of(), floats(2, 3, 5, 6), floats(6));
    check("MatMul", Map.of(), 13, Set.of(), floats(2, 1, 5, 6), floats(1, 3, 6, 4));
    check("MatMul", Map.of(), 13, Set.of(), floats(3, 1, 5, 6), floats(2, 6, 4));
    check("MatMul", Map.of(), 13, Set.of(1), floats(4, 1, 5, 6), floats(3, 6, 2));
  }

  @Test
  void matMulOfFloat64AndIntegers() {
    check(
        "MatMul",
        Map.of(),
        13,
        Set.of(),
        typed(DType.FLOAT64, 2, 3, 4),
        typed(DType.FLOAT64, 4, 5));
    check("MatMul", Map.of(), 13, Set.of(), typed(DType.INT32, 3, 4), typed(DType.INT32, 2, 4, 5));
    check("MatMul", Map.of(), 13, Set.of(1), typed(DType.INT64, 4), typed(DType.INT64, 4, 5));
    check(
        "MatMul",
        Map.of(),
        13,
        Set.of(),
        typed(DType.UINT64, 2, 3, 4),
        typed(DType.UINT64, 2, 4, 1));
  }

  private static Map<String, Attribute> equation(String text) {
    return Map.of("equation", new Attribute.StringValue(text));
  }

  @Test
  void einsumOfCommonEquations() {
    check("Einsum", equation("bij,bjk->bik"), 12, Set.of(), floats(3, 2, 4), floats(3, 4, 5));
    check(
        "Einsum",
        equation("bhqd,bhkd->bhqk"),
        12,
        Set.of(),
        floats(2, 3, 4, 5),
        floats(2, 3, 6, 5));
    check("Einsum", equation("...ii->...i"), 12, Set.of(), floats(2, 3, 4, 4));
    check("Einsum", equation("ii"), 12, Set.of(), floats(5, 5));
    check("Einsum", equation("ij->ji"), 12, Set.of(), floats(3, 4));
    check("Einsum", equation("ij->i"), 12, Set.of(), floats(3, 4));
    check("Einsum", equation("i,i"), 12, Set.of(), floats(5), floats(5));
    check("Einsum", equation("i,j->ij"), 12, Set.of(), floats(3), floats(4));
    check("Einsum", equation("ij,ij->ij"), 12, Set.of(1), floats(3, 4), floats(3, 4));
    check("Einsum", equation("...j,kj"), 12, Set.of(), floats(2, 1, 3), floats(4, 3));
    check(
        "Einsum",
        equation("bij,jk->kbi"),
        12,
        Set.of(),
        typed(DType.FLOAT64, 2, 3, 4),
        typed(DType.FLOAT64, 4, 5));
  }

  private static Map<String, Attribute> rotary(int interleaved, int rotaryDim, int numHeads) {
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    attributes.put("interleaved", new Attribute.IntValue(interleaved));
    attributes.put("rotary_embedding_dim", new Attribute.IntValue(rotaryDim));
    if (numHeads > 0) {
      attributes.put("num_heads", new Attribute.IntValue(numHeads));
    }
    return attributes;
  }

  @Test
  void rotaryEmbeddingByPositionIdsOrByPosition() {
    long batch = 2;
    long heads = 3;
    long sequence = 5;
    long head = 8;
    Tensor positions = Tensor.ofLongs(new long[] {batch, sequence}, 0, 7, 3, 9, 1, 4, 4, 2, 8, 6);
    for (int interleaved = 0; interleaved <= 1; interleaved++) {
      for (int rotaryDim : new int[] {0, 4}) {
        long pairs = (rotaryDim == 0 ? head : rotaryDim) / 2;
        var attributes = rotary(interleaved, rotaryDim, 0);
        check(
            "RotaryEmbedding",
            attributes,
            23,
            Set.of(),
            floats(batch, heads, sequence, head),
            floats(10, pairs),
            floats(10, pairs),
            positions);
        check(
            "RotaryEmbedding",
            attributes,
            23,
            Set.of(1, 2),
            floats(batch, heads, sequence, head),
            floats(batch, sequence, pairs),
            floats(batch, sequence, pairs));
        check(
            "RotaryEmbedding",
            rotary(interleaved, rotaryDim, (int) heads),
            23,
            Set.of(),
            floats(batch, sequence, heads * head),
            floats(10, pairs),
            floats(10, pairs),
            positions);
      }
    }
  }
}
