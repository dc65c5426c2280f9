package oclc.runtime;

import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Tensor;
import oclc.ir.exec.SymbolBindings;

/**
 * What a {@link Session} needs of a device, for one session: buffers of {@code B} (an OpenCL {@code
 * cl_mem}, a Java array), the inputs written into them and values read out, and a bound variant per
 * node variant. Everything else (binding, planning, slots by liveness, the launch checks) is the
 * session's and the {@link MemoryPlanner}'s, the same on every backend.
 */
public interface Backend<B> extends AutoCloseable {
  /** A buffer of at least {@code bytes} bytes ({@code what} it is for, for the error). */
  B allocate(long bytes, String what);

  /** Lets go of a buffer {@link #allocate} made. */
  void release(B buffer);

  /**
   * The executable's buffer of a param (a param {@code spec.offset()} into one buffer on some
   * backends).
   */
  B param(String name);

  /**
   * Copies a bound input into its memory (into the first rows of its KV cache, for a past input).
   */
  void write(String input, Tensor tensor, SymbolBindings symbols, MemoryPlanner<B> memory);

  /**
   * A value as its buffer holds it now, read into {@code reuse}'s memory where it fits (see {@link
   * Session#output}).
   */
  Tensor read(String value, Tensor reuse, SymbolBindings symbols, MemoryPlanner<B> memory);

  /**
   * Fills a buffer's {@code bytes} with 0xFF bytes (NaN as float32, -1 as integers), so that
   * unwritten elements show.
   */
  void poison(B buffer, long bytes);

  /**
   * A value no buffer holds (the manifest declares none): a value the backend holds on the host
   * because only the data decides its shape, or an error that says why there is none.
   */
  Tensor unbuffered(String value);

  /** At the start of every plan, before any memory is assigned or written. */
  void planStarted();

  /** The kernels of one variant of {@code node}, not yet bound. */
  BoundVariant<B> variant(NodeLaunches node, Variant variant);

  /** Waits until every launched kernel has finished. */
  void finish();

  @Override
  void close();
}
