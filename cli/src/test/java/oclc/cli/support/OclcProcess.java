package oclc.cli.support;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oclc.cli.Main;

/**
 * The command line in a JVM of its own (this one's Java, options and class path), for what one JVM
 * cannot show: a process killed mid-way, two processes at once. Its output is discarded.
 */
public final class OclcProcess {
  private OclcProcess() {}

  public static Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
        .start();
  }
}
