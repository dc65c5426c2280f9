package oclc.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Tensor;
import org.junit.jupiter.api.Test;

/** The bits a ConstantOfShape's fill stores, whatever the value's type. */
class FillValueTest {
  private static Node constantOfShape(Tensor value) {
    Attributes attributes =
        value == null
            ? Attributes.NONE
            : new Attributes(Map.of("value", new Attribute.TensorValue(value)));
    return new Node("fill", "", "ConstantOfShape", List.of("shape"), List.of("y"), attributes);
  }

  @Test
  void theValuesBitsSignExtendedFromTheirWidth() {
    assertEquals(
        new FillValue(DType.FLOAT32, 4, Float.floatToRawIntBits(-Float.MAX_VALUE)),
        FillValue.of(constantOfShape(Tensor.ofFloats(new long[] {1}, -Float.MAX_VALUE))));
    assertEquals(
        new FillValue(DType.INT64, 8, -7),
        FillValue.of(constantOfShape(Tensor.ofLongs(new long[] {1}, -7))));
    assertEquals(
        new FillValue(DType.INT32, 4, -1),
        FillValue.of(constantOfShape(Tensor.ofLongs(DType.INT32, new long[] {1}, -1))));
    assertEquals(
        new FillValue(DType.BOOL, 1, 1),
        FillValue.of(constantOfShape(Tensor.ofBools(new long[] {1}, true))));
  }

  @Test
  void noValueIsFloatZero() {
    assertEquals(new FillValue(DType.FLOAT32, 4, 0), FillValue.of(constantOfShape(null)));
  }
}
