package oclc.lowering;

import java.nio.ByteBuffer;
import oclc.ir.DType;
import oclc.ir.Node;
import oclc.ir.Tensor;

/**
 * The one value a ConstantOfShape fills its output with, as both backends' fill kernels store it:
 * the element's bits, sign-extended from its width to 64 bits (so a value narrower than 8 bytes
 * fits a 32-bit kernel argument), whatever its type.
 *
 * @param type the element type (float32 zero when the node has no value attribute, as ONNX says)
 * @param byteSize the element's width in bytes
 * @param bits the element's bits, sign-extended
 */
public record FillValue(DType type, int byteSize, long bits) {
  /** The value of a ConstantOfShape node. */
  public static FillValue of(Node node) {
    if (!node.attributes().has("value")) {
      return new FillValue(DType.FLOAT32, 4, 0);
    }
    Tensor value = node.attributes().getTensor("value");
    int size = value.dtype().byteSize();
    ByteBuffer data = value.data();
    long bits =
        switch (size) {
          case 1 -> data.get(0);
          case 2 -> data.getShort(0);
          case 4 -> data.getInt(0);
          case 8 -> data.getLong(0);
          default -> throw new IllegalArgumentException("no fill of " + size + "-byte elements");
        };
    return new FillValue(value.dtype(), size, bits);
  }
}
