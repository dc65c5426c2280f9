package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules: printed, edited, compiled with — the classes and the tiles change, the results do not.
 */
class ScheduleCommandTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "gpt2-tiny-past");
  @TempDir Path folder;

  private Result compile(Path out, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "compile",
                EXAMPLE.resolve("model.onnx").toString(),
                "--device",
                "cpu",
                "--out",
                out.toString(),
                "--dim",
                "batch_size=1..4",
                "--cache-dir",
                folder.resolve("cache").toString()));
    args.addAll(java.util.List.of(extra));
    return Oclc.run(args.toArray(String[]::new));
  }

  @Test
  void anEditedScheduleChangesTheVariantsAndKeepsTheResults() throws Exception {
    TestDevice.context();
    Result defaults = Oclc.run("schedule");
    assertEquals(0, defaults.exitCode(), defaults.err());
    // Three GEMM classes instead of two, other tiles, and attention tiles of 3 query rows from 33
    // keys on.
    String edited =
        defaults
            .out()
            .replace("\"rows\" : \"2..16\"", "\"rows\" : \"2..8\"")
            .replace(
                "\"rows\" : \"17..\",\n    \"kernel\" : \"gemm\",\n    \"sums\" : 0,\n    \"rowsPerItem\" : 8,\n    \"panelsPerItem\" : 2",
                "\"rows\" : \"9..32\",\n    \"kernel\" : \"gemm\",\n    \"sums\" : 0,\n    \"rowsPerItem\" : 3,\n    \"panelsPerItem\" : 4\n  }, {\n"
                    + "    \"rows\" : \"33..\",\n    \"kernel\" : \"gemm\",\n    \"sums\" : 0,\n    \"rowsPerItem\" : 8,\n    \"panelsPerItem\" : 1")
            .replace("\"keys\" : \"0..64\"", "\"keys\" : \"0..32\"")
            .replace(
                "\"keys\" : \"65..\",\n    \"rowsPerItem\" : 8",
                "\"keys\" : \"33..\",\n    \"rowsPerItem\" : 3");
    Path schedule = folder.resolve("schedule.json");
    Files.writeString(schedule, edited);
    Path artifact = folder.resolve("tuned.oclc");
    Result compiled = compile(artifact, "--schedule", schedule.toString());
    assertEquals(0, compiled.exitCode(), compiled.err());
    Result inspect = Oclc.run("inspect", artifact.toString());
    assertTrue(
        inspect.out().contains("gemm_w16_r3_p4  when 9 <= batch_size * sequence_length <= 32"),
        inspect.out());
    assertTrue(
        inspect.out().contains("gemm_w16_r8_p1  when 33 <= batch_size * sequence_length <= 512"),
        inspect.out());
    assertTrue(
        inspect
            .out()
            .contains(
                "batched_r3_w16_keys33..128  when 33 <= past_sequence_length + sequence_length <= 128"
                    + " and 2 <= sequence_length <= 128"),
        inspect.out());
    assertEquals(
        edited, Oclc.run("schedule", artifact.toString()).out(), "the artifact keeps its schedule");
    for (int set = 0; set < 5; set++) {
      Result r =
          Oclc.run(
              "run",
              artifact.toString(),
              "--data",
              EXAMPLE.resolve("test_data_set_" + set).toString(),
              "--cache-dir",
              folder.resolve("cache").toString());
      assertEquals(0, r.exitCode(), "set " + set + ": " + r.out());
    }
  }

  @Test
  void classesThatComeToOneKernelStillServeEverySize() throws Exception {
    TestDevice.context();
    // One row per item up to 64 keys: the one-query-row and many-row variants of that class are one
    // kernel, and must stay one variant (variants are launched by name), fused or not.
    Path schedule = folder.resolve("shared.json");
    Files.writeString(
        schedule,
        Oclc.run("schedule")
            .out()
            .replaceFirst(
                "\"keys\" : \"0..64\",\n    \"rowsPerItem\" : 8,\n    \"columnsPerItem\" : 16",
                "\"keys\" : \"0..64\",\n    \"rowsPerItem\" : 1,\n    \"columnsPerItem\" : 16"));
    assertTrue(
        Files.readString(schedule).contains("\"rowsPerItem\" : 1,\n    \"columnsPerItem\" : 16"),
        Files.readString(schedule));
    Path artifact = folder.resolve("shared.oclc");
    Result compiled = compile(artifact, "--schedule", schedule.toString());
    assertEquals(0, compiled.exitCode(), compiled.err());
    Result r =
        Oclc.run(
            "run",
            artifact.toString(),
            "--data",
            EXAMPLE.resolve("test_data_set_0").toString(),
            "--cache-dir",
            folder.resolve("cache").toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
  }

  @Test
  void aScheduleTheKernelsCannotTakeIsRefused() throws Exception {
    Path schedule = folder.resolve("bad.json");
    String gemm = "\"kernel\" : \"gemm\",\n    \"sums\" : 0,\n    \"rowsPerItem\" : ";
    String defaults = Oclc.run("schedule").out();
    assertTrue(defaults.contains(gemm + "8"), defaults);
    Files.writeString(schedule, defaults.replace(gemm + "8", gemm + "40"));
    Result r = compile(folder.resolve("bad.oclc"), "--schedule", schedule.toString());
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(r.err().contains("schedule: a gemm class takes 1 to 12 rows per item"), r.err());
  }
}
