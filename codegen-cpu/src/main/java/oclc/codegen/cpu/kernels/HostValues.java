package oclc.codegen.cpu.kernels;

import oclc.ir.Tensor;

/**
 * The values of a session whose shapes only the data decides (after NonZero, a Reshape to a shape
 * read from an input, …): held as tensors by the session, made and read by fallback launches.
 */
public interface HostValues {
  Tensor get(String name);

  void put(String name, Tensor value);
}
