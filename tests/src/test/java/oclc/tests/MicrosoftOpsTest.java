package oclc.tests;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.ir.ops.MicrosoftOps;
import oclc.onnx.proto.OnnxProto.ModelProto;
import oclc.onnx.proto.OnnxProto.OperatorSetIdProto;
import oclc.tests.support.AgainstOnnxRuntime;
import oclc.tests.support.OneNodeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's com.microsoft operators, each as a one-node model, against ONNX Runtime itself on
 * random inputs at several shapes, on every backend.
 */
class MicrosoftOpsTest {
  private static final double FLOAT32_BOUND = 1e-5;

  @TempDir Path directory;

  /** ONNX Runtime has BiasAdd for CUDA only: its oracle is ONNX's Sum of the same three. */
  @Test
  void biasAdd() throws OrtException {
    Random random = new Random(11);
    Tensor bias = gaussian(random, 8);
    Path model = biasAdd(OneNodeModel.of(MicrosoftOps.DOMAIN, "BiasAdd"), bias, "bias_add");
    Path oracle = biasAdd(OneNodeModel.of("", "Sum"), bias, "sum");
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] shape : new long[][] {{1, 1, 8}, {2, 7, 8}, {3, 33, 8}}) {
      inputSets.add(Map.of("x", gaussian(random, shape), "skip", gaussian(random, shape)));
    }
    AgainstOnnxRuntime.check(model, oracle, inputSets, FLOAT32_BOUND);
  }

  private Path biasAdd(OneNodeModel node, Tensor bias, String name) {
    return node.input("x", DType.FLOAT32, "batch", "seq", 8)
        .weight("bias", bias)
        .input("skip", DType.FLOAT32, "batch", "seq", 8)
        .output("y", DType.FLOAT32, "batch", "seq", 8)
        .write(directory, name);
  }

  private static final long[][] TOKENS = {{1, 1}, {2, 5}, {3, 7}};
  private static final int HIDDEN = 16, VOCABULARY = 50, POSITIONS = 12, SEGMENTS = 2;

  /** The GPT-2 form ONNX Runtime's optimizer writes: no segments, position_ids, no mask. */
  @Test
  void embedLayerNormalizationWithPositionIds() throws OrtException {
    Random random = new Random(21);
    OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "EmbedLayerNormalization");
    node.input("input_ids", DType.INT32, "batch", "seq").absent();
    embeddingTables(node, random, false)
        .absent()
        .input("position_ids", DType.INT32, "batch", "seq")
        .attribute("epsilon", 1e-5f);
    embeddingOutputs(node, true, true);
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] tokens : TOKENS) {
      inputSets.add(
          Map.of(
              "input_ids", ids(random, VOCABULARY, tokens),
              "position_ids", ids(random, POSITIONS, tokens)));
    }
    AgainstOnnxRuntime.check(node.write(directory, "embed_position_ids"), inputSets, FLOAT32_BOUND);
  }

  /** The BERT form: segments, a mask of ones and zeros, positions counted from 0. */
  @Test
  void embedLayerNormalizationWithSegmentsAndMask() throws OrtException {
    Random random = new Random(22);
    OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "EmbedLayerNormalization");
    node.input("input_ids", DType.INT32, "batch", "seq")
        .input("segment_ids", DType.INT32, "batch", "seq");
    embeddingTables(node, random, true).input("mask", DType.INT32, "batch", "seq");
    embeddingOutputs(node, true, false);
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] tokens : TOKENS) {
      inputSets.add(
          Map.of(
              "input_ids", ids(random, VOCABULARY, tokens),
              "segment_ids", ids(random, SEGMENTS, tokens),
              "mask", ids(random, 2, tokens)));
    }
    AgainstOnnxRuntime.check(
        node.write(directory, "embed_segments_mask"), inputSets, FLOAT32_BOUND);
  }

  /**
   * position_ids of one row for every batch, a mask, the embedding sum; and, without a mask,
   * mask_index is zeros.
   */
  @Test
  void embedLayerNormalizationWithBroadcastPositionsAndEveryOutput() throws OrtException {
    Random random = new Random(23);
    for (boolean masked : new boolean[] {true, false}) {
      OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "EmbedLayerNormalization");
      node.input("input_ids", DType.INT32, "batch", "seq").absent();
      embeddingTables(node, random, false);
      (masked ? node.input("mask", DType.INT32, "batch", "seq") : node.absent())
          .input("position_ids", DType.INT32, 1, "seq")
          .attribute("mask_index_type", 1L);
      embeddingOutputs(node, true, true);
      List<Map<String, Tensor>> inputSets = new ArrayList<>();
      for (long[] tokens : TOKENS) {
        Map<String, Tensor> inputs = new java.util.HashMap<>();
        inputs.put("input_ids", ids(random, VOCABULARY, tokens));
        inputs.put("position_ids", ids(random, POSITIONS, 1, tokens[1]));
        if (masked) {
          inputs.put("mask", ids(random, 2, tokens));
        }
        inputSets.add(inputs);
      }
      AgainstOnnxRuntime.check(
          node.write(directory, "embed_broadcast_" + masked), inputSets, FLOAT32_BOUND);
    }
  }

  /** Without position_ids, the positions count from 0; no mask_index output asked for. */
  @Test
  void embedLayerNormalizationCountsPositions() throws OrtException {
    Random random = new Random(24);
    OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "EmbedLayerNormalization");
    node.input("input_ids", DType.INT32, "batch", "seq").absent();
    embeddingTables(node, random, false);
    embeddingOutputs(node, false, true);
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] tokens : TOKENS) {
      inputSets.add(Map.of("input_ids", ids(random, VOCABULARY, tokens)));
    }
    AgainstOnnxRuntime.check(node.write(directory, "embed_counted"), inputSets, FLOAT32_BOUND);
  }

  /** Word, position and (with segments) segment tables, gamma and beta, as initializers. */
  private static OneNodeModel embeddingTables(OneNodeModel node, Random random, boolean segments) {
    node.weight("word_embedding", gaussian(random, VOCABULARY, HIDDEN))
        .weight("position_embedding", gaussian(random, POSITIONS, HIDDEN));
    if (segments) {
      node.weight("segment_embedding", gaussian(random, SEGMENTS, HIDDEN));
    } else {
      node.absent();
    }
    return node.weight("gamma", gaussian(random, HIDDEN)).weight("beta", gaussian(random, HIDDEN));
  }

  private static void embeddingOutputs(OneNodeModel node, boolean maskIndex, boolean sum) {
    node.output("output", DType.FLOAT32, "batch", "seq", HIDDEN);
    if (maskIndex) {
      node.output("mask_index", DType.INT32, "batch");
    } else {
      node.unusedOutput("");
    }
    if (sum) {
      node.output("embedding_sum", DType.FLOAT32, "batch", "seq", HIDDEN);
    }
  }

  /** The GPT-2 form: bias and beta, the sum as an output, skip of input's shape. */
  @Test
  void skipLayerNormalizationWithBiasAndSum() throws OrtException {
    Random random = new Random(31);
    OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "SkipLayerNormalization");
    node.input("input", DType.FLOAT32, "batch", "seq", HIDDEN)
        .input("skip", DType.FLOAT32, "batch", "seq", HIDDEN)
        .weight("gamma", gaussian(random, HIDDEN))
        .weight("beta", gaussian(random, HIDDEN))
        .weight("bias", gaussian(random, HIDDEN))
        .attribute("epsilon", 1e-5f)
        .output("output", DType.FLOAT32, "batch", "seq", HIDDEN)
        .unusedOutput("")
        .unusedOutput("")
        .output("input_skip_bias_sum", DType.FLOAT32, "batch", "seq", HIDDEN);
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] tokens : TOKENS) {
      long[] shape = {tokens[0], tokens[1], HIDDEN};
      inputSets.add(Map.of("input", gaussian(random, shape), "skip", gaussian(random, shape)));
    }
    AgainstOnnxRuntime.check(node.write(directory, "skip_bias_sum"), inputSets, FLOAT32_BOUND);
  }

  /**
   * skip broadcast over the batch ({@code [1, S, H]}) or without one ({@code [S, H]}), with and
   * without beta and bias, the default epsilon.
   */
  @Test
  void skipLayerNormalizationBroadcastsSkip() throws OrtException {
    Random random = new Random(32);
    for (int form = 0; form < 4; form++) {
      boolean batchOfOne = form % 2 == 0;
      boolean withBeta = form < 2;
      OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "SkipLayerNormalization");
      node.input("input", DType.FLOAT32, "batch", "seq", HIDDEN);
      if (batchOfOne) {
        node.input("skip", DType.FLOAT32, 1, "seq", HIDDEN);
      } else {
        node.input("skip", DType.FLOAT32, "seq", HIDDEN);
      }
      node.weight("gamma", gaussian(random, HIDDEN));
      if (withBeta) {
        node.weight("beta", gaussian(random, HIDDEN)).absent();
      } else {
        node.absent().weight("bias", gaussian(random, HIDDEN));
      }
      node.output("output", DType.FLOAT32, "batch", "seq", HIDDEN);
      List<Map<String, Tensor>> inputSets = new ArrayList<>();
      for (long[] tokens : TOKENS) {
        long[] skip =
            batchOfOne ? new long[] {1, tokens[1], HIDDEN} : new long[] {tokens[1], HIDDEN};
        inputSets.add(
            Map.of(
                "input", gaussian(random, tokens[0], tokens[1], HIDDEN),
                "skip", gaussian(random, skip)));
      }
      AgainstOnnxRuntime.check(
          node.write(directory, "skip_form_" + form), inputSets, FLOAT32_BOUND);
    }
  }

  /** A 2-D input of tokens, skip of its shape, the sum without a bias. */
  @Test
  void skipLayerNormalizationOfTokenRows() throws OrtException {
    Random random = new Random(33);
    OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "SkipLayerNormalization");
    node.input("input", DType.FLOAT32, "tokens", HIDDEN)
        .input("skip", DType.FLOAT32, "tokens", HIDDEN)
        .weight("gamma", gaussian(random, HIDDEN))
        .weight("beta", gaussian(random, HIDDEN))
        .attribute("epsilon", 1e-3f)
        .output("output", DType.FLOAT32, "tokens", HIDDEN)
        .unusedOutput("")
        .unusedOutput("")
        .output("input_skip_bias_sum", DType.FLOAT32, "tokens", HIDDEN);
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long tokens : new long[] {1, 6, 19}) {
      inputSets.add(
          Map.of(
              "input", gaussian(random, tokens, HIDDEN), "skip", gaussian(random, tokens, HIDDEN)));
    }
    AgainstOnnxRuntime.check(node.write(directory, "skip_tokens"), inputSets, FLOAT32_BOUND);
  }

  /** FastGelu with a bias (ONNX Runtime's optimizer's form) and without one. */
  @Test
  void fastGelu() throws OrtException {
    Random random = new Random(41);
    for (boolean biased : new boolean[] {true, false}) {
      OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "FastGelu");
      node.input("x", DType.FLOAT32, "batch", "seq", HIDDEN);
      if (biased) {
        node.weight("bias", gaussian(random, HIDDEN));
      }
      node.output("y", DType.FLOAT32, "batch", "seq", HIDDEN);
      AgainstOnnxRuntime.check(
          node.write(directory, "fast_gelu_" + biased), activationInputs(random), FLOAT32_BOUND);
    }
  }

  /**
   * SkipSimplifiedLayerNormalization (RMS, no beta): with a bias and the sum, without either, skip
   * broadcast over the batch or without one, and a 2-D input of tokens.
   */
  @Test
  void skipSimplifiedLayerNormalization() throws OrtException {
    Random random = new Random(34);
    for (int form = 0; form < 4; form++) {
      boolean tokenRows = form == 3;
      Object[] rows =
          tokenRows ? new Object[] {"tokens", HIDDEN} : new Object[] {"batch", "seq", HIDDEN};
      Object[] skipDims =
          switch (form) {
            case 1 -> new Object[] {1, "seq", HIDDEN};
            case 2 -> new Object[] {"seq", HIDDEN};
            default -> rows;
          };
      OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "SkipSimplifiedLayerNormalization");
      node.input("input", DType.FLOAT32, rows)
          .input("skip", DType.FLOAT32, skipDims)
          .weight("gamma", gaussian(random, HIDDEN));
      if (form != 1) {
        node.weight("bias", gaussian(random, HIDDEN));
      }
      if (form == 0) {
        node.attribute("epsilon", 1e-5f);
      }
      node.output("output", DType.FLOAT32, rows);
      if (form == 0 || tokenRows) {
        node.unusedOutput("").unusedOutput("").output("input_skip_bias_sum", DType.FLOAT32, rows);
      }
      List<Map<String, Tensor>> inputSets = new ArrayList<>();
      for (long[] tokens : TOKENS) {
        long[] shape =
            tokenRows
                ? new long[] {tokens[0] * tokens[1], HIDDEN}
                : new long[] {tokens[0], tokens[1], HIDDEN};
        long[] skip =
            switch (form) {
              case 1 -> new long[] {1, tokens[1], HIDDEN};
              case 2 -> new long[] {tokens[1], HIDDEN};
              default -> shape;
            };
        inputSets.add(Map.of("input", gaussian(random, shape), "skip", gaussian(random, skip)));
      }
      AgainstOnnxRuntime.check(
          node.write(directory, "skip_simplified_" + form), inputSets, FLOAT32_BOUND);
    }
  }

  /**
   * SimplifiedLayerNormalization in the default domain, where ONNX Runtime registers it, over the
   * last axis and over the last two (axis 1), the default epsilon and another.
   */
  @Test
  void simplifiedLayerNormalization() throws OrtException {
    Random random = new Random(35);
    for (int axis : new int[] {-1, 1}) {
      Path model =
          simplifiedLayerNormalization(
              OneNodeModel.of("", "SimplifiedLayerNormalization"),
              random,
              axis,
              "simplified_" + axis);
      AgainstOnnxRuntime.check(model, rowInputs(random, 4), FLOAT32_BOUND);
    }
  }

  /** The com.microsoft spelling of SimplifiedLayerNormalization, against ONNX Runtime's own. */
  @Test
  void simplifiedLayerNormalizationInMicrosoftDomain() throws OrtException {
    Path model =
        simplifiedLayerNormalization(
            OneNodeModel.of(MicrosoftOps.DOMAIN, "SimplifiedLayerNormalization"),
            new Random(36),
            -1,
            "simplified_microsoft");
    Path oracle =
        simplifiedLayerNormalization(
            OneNodeModel.of("", "SimplifiedLayerNormalization"),
            new Random(36),
            -1,
            "simplified_oracle");
    AgainstOnnxRuntime.check(model, oracle, rowInputs(new Random(37), 4), FLOAT32_BOUND);
  }

  private Path simplifiedLayerNormalization(
      OneNodeModel node, Random random, int axis, String name) {
    node.input("x", DType.FLOAT32, "batch", 4, HIDDEN)
        .weight("scale", axis == 1 ? gaussian(random, 4, HIDDEN) : gaussian(random, HIDDEN))
        .attribute("axis", (long) axis)
        .output("y", DType.FLOAT32, "batch", 4, HIDDEN);
    if (axis == 1) {
      node.attribute("epsilon", 1e-3f);
    }
    return node.write(directory, name);
  }

  /**
   * LayerNormalization's contrib form: the op in a file of default-domain opset 11, before ONNX
   * defined it (opset 17), as ONNX Runtime's optimizer writes it; over the last axis and the last
   * two, with and without a bias. (Its mean and inverse deviation are ONNX's LayerNormalization
   * outputs, which the Java backend computes by its reference fallback: not checked here.)
   */
  @Test
  void layerNormalizationContribForm() throws OrtException {
    Random random = new Random(38);
    for (int axis : new int[] {-1, 1}) {
      long[] scale = axis == 1 ? new long[] {4, HIDDEN} : new long[] {HIDDEN};
      OneNodeModel node = OneNodeModel.of("", "LayerNormalization");
      node.input("x", DType.FLOAT32, "batch", 4, HIDDEN).weight("scale", gaussian(random, scale));
      if (axis == -1) {
        node.weight("bias", gaussian(random, scale)).attribute("epsilon", 1e-5f);
      }
      node.attribute("axis", (long) axis).output("y", DType.FLOAT32, "batch", 4, HIDDEN);
      Path model = withDefaultOpset(node.write(directory, "layer_norm_contrib_" + axis), 11);
      AgainstOnnxRuntime.check(model, rowInputs(random, 4), FLOAT32_BOUND);
    }
  }

  /** x of shape [batch, rows, HIDDEN] at several batch sizes. */
  private static List<Map<String, Tensor>> rowInputs(Random random, int rows) {
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long batch : new long[] {1, 3}) {
      inputSets.add(Map.of("x", gaussian(random, batch, rows, HIDDEN)));
    }
    return inputSets;
  }

  /** The model file rewritten to import {@code version} of the default domain. */
  private static Path withDefaultOpset(Path file, long version) {
    try {
      ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
      ModelProto.Builder builder = model.toBuilder().clearOpsetImport();
      for (OperatorSetIdProto opset : model.getOpsetImportList()) {
        builder.addOpsetImport(
            opset.getDomain().isEmpty() ? opset.toBuilder().setVersion(version).build() : opset);
      }
      Files.write(file, builder.build().toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exact (erf) GELU: BiasGelu of x and a bias, Gelu of x alone. */
  @Test
  void biasGeluAndGelu() throws OrtException {
    Random random = new Random(43);
    for (String op : List.of("BiasGelu", "Gelu")) {
      OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, op);
      node.input("x", DType.FLOAT32, "batch", "seq", HIDDEN);
      if (op.equals("BiasGelu")) {
        node.weight("bias", gaussian(random, HIDDEN));
      }
      node.output("y", DType.FLOAT32, "batch", "seq", HIDDEN);
      AgainstOnnxRuntime.check(node.write(directory, op), activationInputs(random), FLOAT32_BOUND);
    }
  }

  /** QuickGelu at its default alpha (1.702), at 1 (SiLU) and at a larger one. */
  @Test
  void quickGelu() throws OrtException {
    Random random = new Random(42);
    for (float alpha : new float[] {Float.NaN, 1f, 2.5f}) {
      OneNodeModel node = OneNodeModel.of(MicrosoftOps.DOMAIN, "QuickGelu");
      node.input("x", DType.FLOAT32, "batch", "seq", HIDDEN);
      if (!Float.isNaN(alpha)) {
        node.attribute("alpha", alpha);
      }
      node.output("y", DType.FLOAT32, "batch", "seq", HIDDEN);
      AgainstOnnxRuntime.check(
          node.write(directory, "quick_gelu_" + alpha), activationInputs(random), FLOAT32_BOUND);
    }
  }

  /** Inputs x at several shapes, spread wide enough to reach both tails of the activations. */
  private static List<Map<String, Tensor>> activationInputs(Random random) {
    List<Map<String, Tensor>> inputSets = new ArrayList<>();
    for (long[] tokens : TOKENS) {
      Tensor x = gaussian(random, tokens[0], tokens[1], HIDDEN);
      for (int i = 0; i < x.size(); i++) {
        x.setFloat(i, 3 * x.getFloat(i));
      }
      inputSets.add(Map.of("x", x));
    }
    return inputSets;
  }

  /** int32 ids below {@code bound}. */
  static Tensor ids(Random random, int bound, long... shape) {
    Tensor t = Tensor.allocate(DType.INT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setLong(i, random.nextInt(bound));
    }
    return t;
  }

  static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }
}
