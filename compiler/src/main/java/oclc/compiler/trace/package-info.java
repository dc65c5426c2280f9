/**
 * Chrome trace-event JSON (the format ui.perfetto.dev and chrome://tracing open) from a session's
 * timings: {@link oclc.compiler.trace.Trace} is the one place that turns host phases and launch
 * timings into complete events on a host track and a device track.
 */
package oclc.compiler.trace;
