package oclc.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import oclc.ir.exec.InputShapeException;
import oclc.ir.exec.SymbolBindings;
import oclc.runtime.LaunchPlan.PlannedDispatch;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * An OpenCL variant's dispatches: a kernel object each, with its arguments and evaluated work
 * sizes.
 */
final class OpenClVariant implements BoundVariant<cl_mem> {
  private final Variant variant;
  private final Executable executable;
  private final NodeLaunches node;
  private final cl_kernel[] kernels;
  private final long[][] global;
  private final long[][] local;
  private final boolean[] skipped;
  private final List<List<String>> bufferNames;

  /** What each argument was last set to, so that a plan only re-sets the arguments that changed. */
  private final Object[][] lastValues;

  OpenClVariant(Variant variant, Executable executable, NodeLaunches launches) {
    this.variant = variant;
    this.executable = executable;
    this.node = launches;
    String node = launches.name();
    int count = variant.dispatches().size();
    kernels = new cl_kernel[count];
    global = new long[count][];
    local = new long[count][];
    skipped = new boolean[count];
    lastValues = new Object[count][];
    bufferNames = variant.dispatches().stream().map(Dispatch::buffers).toList();
    for (int d = 0; d < count; d++) {
      lastValues[d] = new Object[variant.dispatches().get(d).arguments().size()];
      String kernel = variant.dispatches().get(d).kernel();
      var program = executable.programs().byKernel().get(kernel);
      if (program == null) {
        release();
        throw new OclcException(
            "node '" + node + "' needs kernel " + kernel + ", which the artifact lacks");
      }
      try {
        kernels[d] = executable.device().createKernel(program, kernel);
      } catch (CLException e) {
        release();
        throw new OpenClException(
            "clCreateKernel of " + kernel + " for node '" + node + "' failed: " + e.getMessage(),
            e);
      }
    }
  }

  @Override
  public void bind(SymbolBindings symbols, MemoryPlanner<cl_mem> memory) {
    String node = this.node.name();
    for (int d = 0; d < kernels.length; d++) {
      Dispatch dispatch = variant.dispatches().get(d);
      for (int a = 0; a < dispatch.arguments().size(); a++) {
        Argument argument = dispatch.arguments().get(a);
        Object value =
            switch (argument) {
              case Argument.Buffer b -> memory.bufferOf(b.buffer());
              case Argument.Int i -> toInt(i.value(), symbols, node);
              case Argument.Long l -> l.value().evaluate(symbols);
              case Argument.Float f -> f.value();
            };
        if (value == lastValues[d][a] || value.equals(lastValues[d][a])) {
          continue;
        }
        try {
          switch (value) {
            case cl_mem buffer ->
                CL.clSetKernelArg(kernels[d], a, Sizeof.cl_mem, Pointer.to(buffer));
            case Integer v ->
                CL.clSetKernelArg(kernels[d], a, Sizeof.cl_int, Pointer.to(new int[] {v}));
            case Long v ->
                CL.clSetKernelArg(kernels[d], a, Sizeof.cl_long, Pointer.to(new long[] {v}));
            case Float v ->
                CL.clSetKernelArg(kernels[d], a, Sizeof.cl_float, Pointer.to(new float[] {v}));
            default -> throw new IllegalStateException("argument " + value);
          }
          lastValues[d][a] = value;
        } catch (CLException e) {
          throw new OpenClException(
              "clSetKernelArg "
                  + a
                  + " of kernel "
                  + dispatch.kernel()
                  + " for node '"
                  + node
                  + "' failed: "
                  + e.getMessage(),
              e);
        }
      }
      // A new array each bind: a profiled launch's timing keeps the one it was enqueued with.
      global[d] = Dim.evaluate(dispatch.globalSize(), symbols);
      local[d] =
          dispatch.localSize().isEmpty() ? null : Dim.evaluate(dispatch.localSize(), symbols);
      skipped[d] = false;
      for (long size : global[d]) {
        skipped[d] |= size == 0;
      }
    }
  }

  private static int toInt(Dim value, SymbolBindings symbols, String node) {
    long v = value.evaluate(symbols);
    if (v != (int) v) {
      throw new InputShapeException(
          "node '"
              + node
              + "': "
              + value
              + " = "
              + v
              + " exceeds the 32-bit index range of its kernel");
    }
    return (int) v;
  }

  @Override
  public void launch(List<TimingRecord> timings) {
    OpenClContext device = executable.device();
    for (int d = 0; d < kernels.length; d++) {
      if (skipped[d]) {
        continue;
      }
      cl_event event = timings == null ? null : new cl_event();
      try {
        CL.clEnqueueNDRangeKernel(
            device.queue(),
            kernels[d],
            global[d].length,
            null,
            global[d],
            local[d],
            0,
            null,
            event);
      } catch (CLException e) {
        throw new OpenClException(
            "clEnqueueNDRangeKernel of kernel "
                + variant.dispatches().get(d).kernel()
                + " for node '"
                + node.name()
                + "' failed: "
                + e.getMessage(),
            e);
      }
      if (timings != null) {
        device.objects().created(OpenClObjects.Kind.EVENT);
        timings.add(
            new LaunchTiming.Pending(
                device.objects(),
                node.name(),
                node.opType(),
                variant.name(),
                variant.dispatches().get(d).kernel(),
                global[d],
                event));
      }
    }
  }

  /** Every dispatch as bound; one is skipped when some work size is 0. */
  @Override
  public List<PlannedDispatch> describe() {
    List<PlannedDispatch> out = new ArrayList<>(kernels.length);
    for (int d = 0; d < kernels.length; d++) {
      out.add(
          new PlannedDispatch(
              variant.dispatches().get(d).kernel(),
              bufferNames.get(d),
              boxed(global[d]),
              local[d] == null ? List.of() : boxed(local[d]),
              skipped[d]));
    }
    return out;
  }

  private static List<Long> boxed(long[] values) {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return List.of(boxed);
  }

  /**
   * Builds {@code source} now and puts its kernel in place of dispatch {@code d}'s, its arguments
   * to be set again.
   */
  @Override
  public void replace(int d, String source) {
    String kernel = variant.dispatches().get(d).kernel();
    var program = executable.device().buildFromSource(kernel, source, KernelBuilder.BUILD_OPTIONS);
    cl_kernel replacement;
    try {
      replacement = executable.device().createKernel(program, kernel);
    } catch (CLException e) {
      throw new OpenClException(
          "the replacement for "
              + kernel
              + " of node '"
              + node.name()
              + "' has no kernel named "
              + kernel
              + ": "
              + e.getMessage(),
          e);
    } finally {
      executable.device().releaseProgram(program); // the kernel keeps it alive
    }
    executable.device().releaseKernel(kernels[d]);
    kernels[d] = replacement;
    Arrays.fill(lastValues[d], null);
  }

  @Override
  public void release() {
    for (cl_kernel k : kernels) {
      if (k != null) {
        executable.device().releaseKernel(k);
      }
    }
  }
}
