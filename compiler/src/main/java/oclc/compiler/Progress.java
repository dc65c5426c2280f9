package oclc.compiler;

/**
 * Progress through a known number of steps (kernels built, schedules measured), for a front end to
 * draw.
 */
public interface Progress {
  Progress SILENT =
      new Progress() {
        @Override
        public void start(int total) {}

        @Override
        public void step(String what) {}

        @Override
        public void end() {}
      };

  /** {@code total} steps lie ahead. */
  void start(int total);

  /** One more is done. */
  void step(String what);

  /** No more steps come, whether or not all were done (a budget ran out). */
  void end();
}
