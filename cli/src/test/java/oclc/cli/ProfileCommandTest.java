package oclc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import oclc.cli.support.Oclc;
import oclc.cli.support.Oclc.Result;
import oclc.cli.support.TestDevice;
import oclc.compiler.trace.TraceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code oclc profile}: tables per node and op for a prefill and decode steps, and a page a person
 * can open.
 */
class ProfileCommandTest {
  @TempDir Path folder;

  @Test
  void aProfileTimesThePrefillAndTheDecodeStepsAndDrawsThemOnAPage() throws Exception {
    TestDevice.context();
    Path page = folder.resolve("profile.html");
    Result r =
        Oclc.run(
            "profile",
            Path.of("..", "examples", "gpt2-tiny-past").toString(),
            "--prompt-len",
            "12",
            "--decode",
            "4",
            "--html",
            page.toString(),
            "--trace",
            folder.resolve("trace.json").toString(),
            "--cache-dir",
            folder.resolve("cache").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.out().contains("prefill of 12 tokens: ") && r.out().contains("decode step (mean of 4"),
        r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.contains("/lm_head/MatMul") && l.contains("gemv_w16")),
        "the decode step's head is a GEMV: " + r.out());
    Document html = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(page.toFile());
    assertEquals(
        3, html.getElementsByTagName("svg").getLength(), "a picture per phase and the timeline");
    JsonNode trace = new ObjectMapper().readTree(folder.resolve("trace.json").toFile());
    assertEquals(List.of(), TraceFormat.violations(trace));
    assertTrue(
        trace.toString().contains("\"/lm_head/MatMul\"") && trace.toString().contains("\"wait\""),
        "launches by node and the host's waits");
    String text = Files.readString(page);
    assertTrue(
        text.contains("/lm_head/MatMul") && text.contains("GFLOP/s"), "the page names the nodes");
  }

  @Test
  void onJavaTheDecodeStepsHeadIsTheJavaGemvAndThePrefillsAGemm() throws Exception {
    Path page = folder.resolve("profile-java.html");
    Result r =
        Oclc.run(
            "profile",
            Path.of("..", "examples", "gpt2-tiny-past").toString(),
            "--device",
            "java",
            "--prompt-len",
            "12",
            "--decode",
            "4",
            "--html",
            page.toString());
    assertEquals(0, r.exitCode(), r.err());
    String decode = r.out().substring(r.out().indexOf("decode step (mean of 4"));
    String prefill = r.out().substring(0, r.out().indexOf("decode step (mean of 4"));
    assertTrue(
        decode.lines().anyMatch(l -> l.contains("/lm_head/MatMul") && l.contains("gemv_rows1")),
        decode);
    assertTrue(
        prefill
            .lines()
            .anyMatch(l -> l.contains("/lm_head/MatMul") && l.contains("gemm_rows2..16")),
        prefill);
    Document html = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(page.toFile());
    assertEquals(
        3, html.getElementsByTagName("svg").getLength(), "a picture per phase and the timeline");
  }
}
