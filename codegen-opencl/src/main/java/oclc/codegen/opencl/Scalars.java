package oclc.codegen.opencl;

import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.ir.Dim;

/** Kernel scalar arguments from dims. */
final class Scalars {
  private Scalars() {}

  static List<Argument> ints(List<Dim> values) {
    return values.stream().<Argument>map(Argument.Int::new).toList();
  }

  static Argument.Int of(Dim value) {
    return new Argument.Int(value);
  }
}
