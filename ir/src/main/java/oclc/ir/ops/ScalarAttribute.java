package oclc.ir.ops;

import java.util.List;
import oclc.ir.Attributes;

/**
 * A number attribute an elementwise op computes with, and the default the op gives it: the
 * reference evaluates with it, and each backend's kernel takes it as a scalar argument, so the
 * default is spelt once.
 *
 * @param name the attribute's name
 * @param integer whether it is an int attribute (else a float one)
 * @param defaultValue its value when the node does not set it
 */
public record ScalarAttribute(String name, boolean integer, double defaultValue) {
  public static ScalarAttribute real(String name, float defaultValue) {
    return new ScalarAttribute(name, false, defaultValue);
  }

  public static ScalarAttribute whole(String name, long defaultValue) {
    return new ScalarAttribute(name, true, defaultValue);
  }

  /** Its value on a node: a float attribute as float32, as ONNX stores it. */
  public double valueIn(Attributes attributes) {
    return integer
        ? attributes.getInt(name, (long) defaultValue)
        : attributes.getFloat(name, (float) defaultValue);
  }

  /** The values of {@code scalars} on a node, in their order. */
  public static double[] valuesIn(List<ScalarAttribute> scalars, Attributes attributes) {
    return scalars.stream().mapToDouble(s -> s.valueIn(attributes)).toArray();
  }
}
