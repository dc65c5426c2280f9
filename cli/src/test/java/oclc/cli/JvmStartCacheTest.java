package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import oclc.cli.support.Oclc;
import oclc.cli.support.TestDevice;
import oclc.compiler.JvmStartCache;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an OpenCL artifact's runs start: on a JVM without the Vector API module and with the JDK's
 * AOT cache that compile trained for the artifact, as the launcher starts them; the Java backend
 * says what it needs where the module is missing.
 */
class JvmStartCacheTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  private static final Path DATA = EXAMPLE.resolve("test_data_set_0");
  private static final List<String> RUN_FLAGS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow",
          "-Xss16m",
          "-XX:TieredStopAtLevel=1");

  @TempDir static Path folder;
  private static Path openCl;
  private static Path java;

  @BeforeAll
  static void compileBoth() {
    TestDevice.context();
    openCl = folder.resolve("cpu.oclc");
    java = folder.resolve("java.oclc");
    for (var device : Map.of("cpu", openCl, "java", java).entrySet()) {
      Oclc.Result r =
          Oclc.run(
              "compile",
              EXAMPLE.resolve("model.onnx").toString(),
              "--device",
              device.getKey(),
              "--dim",
              "batch_size=1..2",
              "--out",
              device.getValue().toString(),
              "--cache-dir",
              cache().toString());
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertFalse(
          r.out().contains("JVM start cache"),
          "no cache from a class path with folders: " + r.out());
    }
  }

  private static Path cache() {
    return folder.resolve("kernel-cache");
  }

  /**
   * Exit code and output of {@code oclc.cli.Main} in a fresh JVM with {@code flags} and {@code
   * classPath}.
   */
  private static Oclc.Result child(
      List<String> flags, String classPath, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(flags);
    command.addAll(List.of("-cp", classPath, "oclc.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the child JVM finished");
    return new Oclc.Result(process.exitValue(), output, "");
  }

  @Test
  void anOpenClRunNeedsNoVectorApiModuleAndTheJavaBackendSaysThatItDoes() throws Exception {
    String classPath = System.getProperty("java.class.path");
    Oclc.Result cpu =
        child(
            RUN_FLAGS,
            classPath,
            Map.of(),
            "run",
            openCl.toString(),
            "--data",
            DATA.toString(),
            "--cache-dir",
            cache().toString());
    assertEquals(0, cpu.exitCode(), cpu.out());
    assertTrue(
        cpu.out().strip().endsWith(": ok"), "the outputs match the expected ones: " + cpu.out());
    Oclc.Result onJava =
        child(RUN_FLAGS, classPath, Map.of(), "run", java.toString(), "--data", DATA.toString());
    assertNotEquals(0, onJava.exitCode(), onJava.out());
    assertTrue(
        onJava
            .out()
            .contains(
                "the Java backend needs the Vector API: start the JVM with --add-modules "
                    + "jdk.incubator.vector"),
        onJava.out());
  }

  private static List<String> launchFlags(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "source scripts/java-env.sh >/dev/null && "
                    + "oclc_launch_flags \"$@\" && printf '%s\\n' \"${OCLC_LAUNCH_FLAGS[@]}\"",
                "flags"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(new File("..")).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    return output.lines().toList();
  }

  @Test
  void theLauncherStartsOpenClRunsWithoutTheModuleAndWithTheirStartCache() throws Exception {
    String cpu = openCl.toAbsolutePath().toString();
    List<String> plain = launchFlags("run", cpu, "--data", DATA.toAbsolutePath().toString());
    assertEquals(RUN_FLAGS, plain);
    Path startCache = openCl.resolve(JvmStartCache.FILE);
    Files.createDirectories(startCache.getParent());
    Files.write(startCache, new byte[] {1});
    try {
      List<String> cached = launchFlags("generate", cpu, "--prompt-ids", "1,2");
      assertTrue(
          cached.containsAll(RUN_FLAGS)
              && cached.contains("-XX:AOTCache=" + startCache.toAbsolutePath())
              && cached.contains("-Xlog:aot=off"),
          cached.toString());
      assertEquals(
          JvmStartCache.startFlags(openCl.toAbsolutePath()),
          cached.subList(RUN_FLAGS.size(), cached.size()),
          "the bench starts runs with the same flags");
    } finally {
      Files.delete(startCache);
    }
    assertEquals(List.of(), JvmStartCache.startFlags(openCl));
    // Everything else may need the Java backend, and gets the module.
    for (List<String> other :
        List.of(
            List.of("run", cpu, "--device", "java"),
            List.of("profile", cpu, "--device=java"),
            List.of("run", java.toAbsolutePath().toString(), "--data", "x"),
            List.of("compile", "m.onnx", "--device", "cpu"),
            List.of("inspect", cpu))) {
      List<String> flags = launchFlags(other.toArray(String[]::new));
      assertTrue(
          flags.contains("--add-modules") && flags.contains("jdk.incubator.vector"),
          other + ": " + flags);
    }
  }

  @Test
  void compileTrainsTheCacheForTheLaunchersFlagsAndARunStartsWithIt() throws Exception {
    // The JDK's AOT cache takes jars only: the other modules' jars, as mvn verify (the README's
    // test command)
    // packages them, and this module's classes, which it has not packaged yet when its tests run,
    // jarred here.
    List<String> jars =
        new ArrayList<>(
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar"))
                .toList());
    Assumptions.assumeTrue(
        jars.stream().anyMatch(j -> j.contains("oclc-compiler")),
        "the oclc modules come as jars (mvn verify), not as classes folders (mvn test)");
    jars.addFirst(jar(Path.of("target", "classes"), folder.resolve("oclc-cli.jar")).toString());
    String classPath = String.join(File.pathSeparator, jars);
    Path artifact = folder.resolve("trained.oclc");
    Oclc.Result compiled =
        child(
            List.of(
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "--add-modules",
                "jdk.incubator.vector"),
            classPath,
            Map.of(JvmStartCache.FLAGS_VARIABLE, String.join(" ", RUN_FLAGS)),
            "compile",
            EXAMPLE.resolve("model.onnx").toString(),
            "--device",
            "cpu",
            "--dim",
            "batch_size=1..2",
            "--out",
            artifact.toString(),
            "--cache-dir",
            cache().toString());
    assertEquals(0, compiled.exitCode(), compiled.out());
    assertTrue(
        compiled.out().contains("JVM start cache: " + artifact.resolve(JvmStartCache.FILE)),
        compiled.out());
    assertTrue(
        Files.size(artifact.resolve(JvmStartCache.FILE)) > 1 << 20,
        "a cache of classes, not a stub");
    List<String> flags = new ArrayList<>(RUN_FLAGS);
    flags.addAll(JvmStartCache.startFlags(artifact));
    flags.add("-Xlog:class+load=info"); // where each class came from
    Oclc.Result run =
        child(
            flags,
            classPath,
            Map.of(),
            "run",
            artifact.toString(),
            "--data",
            DATA.toString(),
            "--cache-dir",
            cache().toString());
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(
        run.out().lines().anyMatch(l -> l.startsWith(artifact.toString()) && l.endsWith(": ok")),
        run.out());
    assertTrue(
        run.out().contains("oclc.runtime.Session source: shared objects file"),
        "the runtime's classes came "
            + "from the cache: "
            + run.out().lines().filter(l -> l.contains("oclc.runtime.Session ")).toList());
  }

  /** The classes under {@code classes} in a jar at {@code jar}. */
  private static Path jar(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(
            new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
