package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.ShapeAssertion;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code oclc inspect}: the model's symbolic signature and its graph after the passes. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show inputs, outputs, op counts before and after the passes, and every node's symbolic shapes.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx file, or an artifact folder X.oclc")
  Path model;

  @Option(names = "--json", description = "print JSON instead of text")
  boolean json;

  @Option(names = "--after", paramLabel = "PASS", defaultValue = "eliminate-dead-code",
      description = "show the graph after this pass: import, infer-and-fold, decompose-attention, eliminate-dead-code (default)")
  String afterPass;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (oclc.artifact.Artifact.isArtifact(model)) {
      ArtifactInspection.print(oclc.artifact.Artifact.read(model, w -> out.println("warning: " + w)), json, out);
      out.flush();
      return 0;
    }
    LoadedModel loaded = LoadedModel.load(model, afterPass);
    if (json) {
      out.print(Json.write(toJson(loaded)));
    } else {
      printText(loaded, out);
    }
    out.flush();
    return 0;
  }

  static Map<String, Object> toJson(LoadedModel loaded) {
    Graph g = loaded.simplified();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model", loaded.file().toString());
    root.put("opset", g.opset(""));
    root.put("inputs", g.inputs().stream().map(InspectCommand::valueJson).toList());
    root.put("outputs", g.outputs().stream().map(InspectCommand::valueJson).toList());
    root.put("ops_before", loaded.imported().opCounts());
    root.put("ops_after", g.opCounts());
    root.put("assumptions", g.assertions().stream().map(ShapeAssertion::toString).toList());
    List<Object> nodes = new ArrayList<>();
    for (Node node : g.nodes()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("name", node.name());
      n.put("op", node.qualifiedOpType());
      n.put("inputs", node.inputs());
      n.put("outputs", node.outputs().stream().filter(o -> !o.isEmpty())
          .map(o -> valueJson(o, g.type(o))).toList());
      nodes.add(n);
    }
    root.put("nodes", nodes);
    return root;
  }

  private static Map<String, Object> valueJson(ValueInfo v) {
    return valueJson(v.name(), java.util.Optional.of(v.type()));
  }

  /** A value whose type is known only at run time has dtype and shape null. */
  private static Map<String, Object> valueJson(String name, java.util.Optional<TensorType> type) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("dtype", type.map(t -> t.dtype().displayName()).orElse(null));
    m.put("shape", type.map(t -> t.shape().dims().stream().map(Dim::toString).toList()).orElse(null));
    return m;
  }

  private static void printText(LoadedModel loaded, PrintWriter out) {
    Graph g = loaded.simplified();
    out.println("model: " + loaded.file() + " (opset " + g.opset("") + ")");
    out.println("inputs:");
    g.inputs().forEach(v -> out.println("  " + v.name() + "  " + typeText(v.type())));
    out.println("outputs:");
    g.outputs().forEach(v -> out.println("  " + v.name() + "  " + typeText(v.type())));
    out.println("ops before passes (" + loaded.imported().nodes().size() + " nodes): "
        + countsText(loaded.imported().opCounts()));
    out.println("ops after passes (" + g.nodes().size() + " nodes): " + countsText(g.opCounts()));
    if (!g.assertions().isEmpty()) {
      out.println("assumptions, checked when inputs are bound:");
      g.assertions().forEach(a -> out.println("  " + a));
    }
    out.println("nodes:");
    for (Node node : g.nodes()) {
      List<String> outputs = node.outputs().stream().filter(o -> !o.isEmpty())
          .map(o -> o + ": " + g.type(o).map(InspectCommand::typeText).orElse("(known at run time)")).toList();
      out.println("  " + node.qualifiedOpType() + " '" + node.name() + "' -> " + String.join(", ", outputs));
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
