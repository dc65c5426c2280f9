package oclc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.compiler.DeviceChoice;
import oclc.compiler.GraphJson;
import oclc.compiler.Json;
import oclc.compiler.LoadedModel;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.TensorType;
import oclc.ir.passes.EliminateDeadCode;
import oclc.ir.passes.GraphText;
import oclc.lowering.LoweringAttributes;
import oclc.lowering.passes.LoweringPasses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oclc inspect}: the model's symbolic signature and its graph after the passes. */
@Command(
    name = "inspect",
    description =
        "Show inputs, outputs, op counts before and after the passes, and every node's symbolic shapes.")
final class InspectCommand extends PrintingCommand {
  /** The names {@code --after} takes, from the compiler's one list of passes. */
  static final class PassNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return LoweringPasses.names().iterator();
    }
  }

  @Mixin ModelParameter.OnnxOrArtifact model;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Option(
      names = "--after",
      paramLabel = "PASS",
      defaultValue = EliminateDeadCode.NAME,
      completionCandidates = PassNames.class,
      description =
          "show the graph after this pass, in the order the compiler runs them: ${COMPLETION-CANDIDATES} "
              + "(default: ${DEFAULT-VALUE}); the lowering passes after it run as a compile for --device "
              + "would, and the nodes show the decisions they record (oclc.* attributes)")
  String afterPass;

  @Option(
      names = "--device",
      paramLabel = "cpu|java",
      defaultValue = "cpu",
      description = "the backend whose lowering passes --after runs: cpu (OpenCL, default) or java")
  String device;

  @Mixin FusionOption fusion;

  @Override
  int run(PrintWriter out, PrintWriter err) {
    if (oclc.artifact.Artifact.isArtifact(model.path)) {
      ArtifactInspection.print(
          oclc.artifact.Artifact.read(model.path, w -> out.println("warning: " + w)), json, out);
      return 0;
    }
    LoadedModel loaded =
        LoadedModel.load(model.path, afterPass, device.equals(DeviceChoice.JAVA), fusion.fuse);
    if (json) {
      out.print(Json.write(GraphJson.of(loaded)));
    } else {
      printText(loaded, out);
    }
    return 0;
  }

  private static void printText(LoadedModel loaded, PrintWriter out) {
    Graph g = loaded.simplified();
    out.println("model: " + loaded.file() + " (opset " + g.opset("") + ")");
    out.println("inputs:");
    g.inputs().forEach(v -> out.println("  " + v.name() + "  " + typeText(v.type())));
    out.println("outputs:");
    g.outputs().forEach(v -> out.println("  " + v.name() + "  " + typeText(v.type())));
    out.println(
        "ops before passes ("
            + loaded.imported().nodes().size()
            + " nodes): "
            + countsText(loaded.imported().opCounts()));
    out.println("ops after passes (" + g.nodes().size() + " nodes): " + countsText(g.opCounts()));
    if (!g.assertions().isEmpty()) {
      out.println("assumptions, checked when inputs are bound:");
      g.assertions().forEach(a -> out.println("  " + a));
    }
    out.println("nodes:");
    for (Node node : g.nodes()) {
      List<String> outputs =
          node.outputs().stream()
              .filter(o -> !o.isEmpty())
              .map(
                  o ->
                      o
                          + ": "
                          + g.type(o).map(InspectCommand::typeText).orElse("(known at run time)"))
              .toList();
      String decisions = GraphText.attributes(node.attributes(), LoweringAttributes.PREFIX);
      out.println(
          "  "
              + node.qualifiedOpType()
              + " '"
              + node.name()
              + "' -> "
              + String.join(", ", outputs)
              + (decisions.isEmpty() ? "" : "  {" + decisions + "}"));
    }
  }

  private static String typeText(TensorType t) {
    return t.dtype() + t.shape().toString();
  }

  private static String countsText(Map<String, Integer> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((op, n) -> parts.add(op + " " + n));
    return String.join(", ", parts);
  }
}
