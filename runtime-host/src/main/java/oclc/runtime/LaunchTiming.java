package oclc.runtime;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

import java.util.Arrays;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * The device time of one profiled dispatch: {@code started}, when it began in its backend's clock
 * (an OpenCL event's profiling clock, the device's; {@code System.nanoTime()} on the Java backend),
 * of which only differences within one run mean something, and how long it ran.
 */
public record LaunchTiming(
    String node,
    String opType,
    String variant,
    String kernel,
    List<Long> globalSize,
    long started,
    long nanoseconds)
    implements TimingRecord {

  /** A timing the launch measured itself (a backend whose launches return when done). */
  @Override
  public LaunchTiming read() {
    return this;
  }

  /** A profiled OpenCL dispatch whose event has not been read yet. */
  record Pending(
      OpenClObjects objects,
      String node,
      String opType,
      String variant,
      String kernel,
      long[] globalSize,
      cl_event event)
      implements TimingRecord {
    @Override
    public LaunchTiming read() {
      long[] start = new long[1];
      long[] end = new long[1];
      CL.clWaitForEvents(1, new cl_event[] {event});
      CL.clGetEventProfilingInfo(
          event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
      CL.clGetEventProfilingInfo(
          event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
      return new LaunchTiming(
          node,
          opType,
          variant,
          kernel,
          Arrays.stream(globalSize).boxed().toList(),
          start[0],
          end[0] - start[0]);
    }

    @Override
    public void release() {
      CL.clReleaseEvent(event);
      objects.released(OpenClObjects.Kind.EVENT);
    }
  }
}
