package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import oclc.artifact.Artifact;
import oclc.artifact.ParamChecksums;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code oclc verify ARTIFACT}: every weight of params.bin against the checksum compiled into the
 * manifest (loading an artifact checks them too, in the background), and the kernel files against
 * theirs.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check a compiled artifact's weights (params.bin) against the checksums in its manifest, and"
            + " say which kernel files were edited since compile.")
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ARTIFACT", description = "a folder `oclc compile` wrote")
  Path artifactFolder;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Artifact artifact = Artifact.read(artifactFolder, warning -> out.println("note: " + warning));
    ProgressBar bar = new ProgressBar(err, "verify");
    bar.start(ParamChecksums.paramCount(artifact.manifest()));
    ParamChecksums.Report report = ParamChecksums.verify(artifact, bar::step);
    bar.end();
    out.printf(
        "%s: %d params (%.1f MB) match their checksums, in %.0f ms%s%n",
        artifactFolder.resolve(Artifact.PARAMS),
        report.params(),
        report.bytes() / 1e6,
        (System.nanoTime() - start) / 1e6,
        report.unchecked() == 0
            ? ""
            : "; "
                + report.unchecked()
                + " have no checksum (compiled by an older oclc): compile again to check them");
    out.flush();
    return report.unchecked() == 0 ? 0 : 1;
  }
}
