package oclc.runtime;

/**
 * A profiled dispatch as a session records it at its launch, read once the device is done with it:
 * an OpenCL event, or a {@link LaunchTiming} the launch measured itself.
 */
public interface TimingRecord {
  LaunchTiming read();

  /** Lets go of what the record holds (an event). */
  default void release() {}
}
