package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oclc tune} on the shipped example, and the schedule defaults per device type: whatever
 * schedule tuning or a device type picks, the compiled model passes its test sets.
 */
class TuneCommandTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  private static final String CACHE = TestDevice.cache().directory().toString();
  @TempDir Path folder;

  private static Result withModel(String command, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                EXAMPLE.resolve("model.onnx").toString(),
                "--device",
                "cpu",
                "--dim",
                "batch_size=1..4",
                "--cache-dir",
                CACHE));
    args.addAll(List.of(extra));
    return Oclc.run(args.toArray(String[]::new));
  }

  /** Compiles the example with {@code schedule} and runs its five test sets on the artifact. */
  private void compilesAndPasses(Path schedule, String origin) throws Exception {
    Path artifact = folder.resolve("tuned.oclc");
    Result compiled =
        withModel("compile", "--out", artifact.toString(), "--schedule", schedule.toString());
    assertEquals(0, compiled.exitCode(), compiled.err());
    assertTrue(compiled.out().contains("schedule: " + origin), compiled.out());
    assertEquals(
        Files.readString(schedule),
        Oclc.run("schedule", artifact.toString()).out(),
        "the artifact records the schedule it was compiled with");
    for (int set = 0; set < 5; set++) {
      Result r =
          Oclc.run(
              "run",
              artifact.toString(),
              "--data",
              EXAMPLE.resolve("test_data_set_" + set).toString(),
              "--cache-dir",
              CACHE);
      assertEquals(0, r.exitCode(), "set " + set + ": " + r.out() + r.err());
    }
  }

  @Test
  void tuneOnTheExampleFinishesWithinItsBudgetAndItsScheduleCompilesAndPasses() throws Exception {
    TestDevice.context();
    Path schedule = folder.resolve("example.schedule.json");
    long start = System.nanoTime();
    Result tuned = withModel("tune", "--budget", "15s", "--out", schedule.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, tuned.exitCode(), tuned.err());
    // The budget bounds the measurements; loading the model and the last measurement may run over
    // by a little.
    assertTrue(seconds < 15 + 30, "tune took " + seconds + " s for a budget of 15 s");
    for (String family :
        List.of(
            "matmul rows 1 ",
            "matmul rows 2..16",
            "matmul rows 17..",
            "attention keys 0..64",
            "attention keys 65..",
            "rows length 65..")) {
      assertTrue(tuned.out().contains(family), family + " missing from\n" + tuned.out());
    }
    assertFalse(
        tuned.out().contains("no node of the model falls in this class"),
        "every class meets the example: " + tuned.out());
    assertTrue(
        tuned.out().matches("(?s).*\\d+ measurements.*")
            && !tuned.out().contains(" 0 measurements"),
        tuned.out());
    String written = Files.readString(schedule);
    assertTrue(written.contains("\"origin\" : \"tuned on "), written);
    compilesAndPasses(schedule, "tuned on ");
  }

  @Test
  void aBudgetTooSmallToMeasureAnythingWritesTheDefaultsAndSaysSo() throws Exception {
    TestDevice.context();
    Path schedule = folder.resolve("defaults.json");
    Result tuned = withModel("tune", "--budget", "0s", "--out", schedule.toString());
    assertEquals(0, tuned.exitCode(), tuned.err());
    assertTrue(
        tuned.out().contains("nothing measured: " + schedule + " holds the defaults unchanged"),
        tuned.out());
    assertTrue(
        tuned.out().contains("the budget was spent before the first measurement"), tuned.out());
    assertEquals(Oclc.run("schedule", "--device", "cpu").out(), Files.readString(schedule));

    // Starting from another schedule, nothing measured leaves that one.
    Path gpu = folder.resolve("gpu.json");
    Files.writeString(gpu, Oclc.run("schedule", "--device", "gpu").out());
    Path fromGpu = folder.resolve("from-gpu.json");
    Result started =
        withModel("tune", "--budget", "0s", "--from", gpu.toString(), "--out", fromGpu.toString());
    assertEquals(0, started.exitCode(), started.err());
    assertEquals(Files.readString(gpu), Files.readString(fromGpu));

    Result bad = withModel("tune", "--budget", "ten minutes");
    assertEquals(2, bad.exitCode(), bad.out());
    assertTrue(
        bad.err().contains("--budget ten minutes: write a time such as 30s, 10m or 1h"), bad.err());
  }

  @Test
  void gpuDefaultsDifferValidateAndComputeCorrectlyOnPocl() throws Exception {
    TestDevice.context();
    String cpu = Oclc.run("schedule").out();
    assertEquals(
        cpu, Oclc.run("schedule", "--device", "cpu").out(), "the CPU's defaults are the defaults");
    Result gpu = Oclc.run("schedule", "--device", "gpu");
    assertEquals(0, gpu.exitCode(), gpu.err());
    assertNotEquals(cpu, gpu.out());
    assertTrue(gpu.out().contains("\"origin\" : \"gpu defaults\""), gpu.out());
    assertTrue(gpu.out().contains("\"group\" : 256"), gpu.out());
    Path schedule = folder.resolve("gpu.json");
    Files.writeString(schedule, gpu.out());
    compilesAndPasses(schedule, "gpu defaults");
    // Both attention classes take the same tile in groups of 64: each keeps a variant named by its
    // keys.
    Result inspect = Oclc.run("inspect", folder.resolve("tuned.oclc").toString());
    assertTrue(
        inspect
            .out()
            .contains(
                "batched_r2_w4_g64_keys65..128  when 65 <= past_sequence_length + sequence_length"
                    + " <= 128 and 2 <= sequence_length <= 128"),
        inspect.out());
    // GEMMs in groups of 8 row tiles (the rows padded to whole groups).
    assertTrue(
        inspect
            .out()
            .contains("gemm_w16_r4_p1_bias_g8  when 17 <= batch_size * sequence_length <= 512"),
        inspect.out());

    Result compiled = withModel("compile", "--out", folder.resolve("cpu.oclc").toString());
    assertEquals(0, compiled.exitCode(), compiled.err());
    assertTrue(
        compiled.out().contains("schedule: cpu defaults"),
        "POCL's CPU device takes the CPU defaults: " + compiled.out());
    assertEquals(cpu, Oclc.run("schedule", folder.resolve("cpu.oclc").toString()).out());

    Result unknown = Oclc.run("schedule", "--device", "no-such-device-anywhere");
    assertEquals(2, unknown.exitCode(), unknown.out());
  }
}
