package oclc.ir.ops;

import java.util.List;
import oclc.ir.Decomposable;
import oclc.ir.EvaluationContext;
import oclc.ir.InferenceContext;
import oclc.ir.NodeRewrite;
import oclc.ir.OpDefinition;
import oclc.ir.Tensor;
import oclc.ir.TensorType;

/**
 * ONNX Runtime's SimplifiedLayerNormalization: RMSNormalization (opset 23) as ONNX Runtime defined
 * it first, with the same attributes (axis, epsilon, stash_type) and the inverse deviation as an
 * optional second output. ONNX Runtime registers it in the default domain, where its optimizer and
 * model builder write it; oclc also takes it in com.microsoft.
 */
final class SimplifiedLayerNormalizationOp implements OpDefinition, Decomposable {
  private final LayerNormalizationOp rms = new LayerNormalizationOp(true);
  private final String domain;

  SimplifiedLayerNormalizationOp(String domain) {
    this.domain = domain;
  }

  @Override
  public String opType() {
    return "SimplifiedLayerNormalization";
  }

  @Override
  public String domain() {
    return domain;
  }

  /** RMSNormalization's outputs are the rows and (unused there) the mean and inverse deviation. */
  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    List<TensorType> types = rms.inferTypes(context);
    return List.of(types.get(0), types.get(2));
  }

  @Override
  public List<Tensor> evaluate(EvaluationContext context) {
    List<Tensor> results = rms.evaluate(context);
    return List.of(results.get(0), results.get(2));
  }

  /** RMSNormalization of the same attributes; not where the inverse deviation is asked for. */
  @Override
  public boolean decompose(NodeRewrite rewrite) {
    if (!rewrite.output(1).isEmpty()) {
      return false; // RMSNormalization has no statistics output
    }
    rewrite.addAs(
        rewrite.output(0),
        "normalize",
        "RMSNormalization",
        rewrite.context().attributes(),
        rewrite.input(0),
        rewrite.input(1));
    return true;
  }
}
