package oclc.codegen.opencl;

import java.util.List;
import oclc.artifact.Manifest.Argument;

/**
 * A product's fused epilogue as the matmul templates take it: the function (rendered by {@code
 * elementwise.stg}) that each element goes through, its buffer parameters (where the product's
 * output was), its scalar parameters (after the kernel's own) and the arguments of its call; the
 * suffix names the kernels that use it, and the manifest arguments follow the same order. A vector
 * epilogue takes a whole panel of columns (the product's vector width) per call.
 */
public record Epilogue(
    String name,
    String function,
    String buffers,
    String scalars,
    String arguments,
    String suffix,
    List<Argument> bufferArguments,
    List<Argument> scalarArguments,
    boolean vector) {
  public Epilogue {
    bufferArguments = List.copyOf(bufferArguments);
    scalarArguments = List.copyOf(scalarArguments);
  }
}
