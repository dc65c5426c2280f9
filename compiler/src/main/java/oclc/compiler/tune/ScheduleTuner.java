package oclc.compiler.tune;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import oclc.artifact.Folders;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.cache.KernelCache;
import oclc.codegen.opencl.GraphLowering;
import oclc.codegen.opencl.KernelOverrides;
import oclc.compiler.LoadedModel;
import oclc.compiler.ModelCompiler;
import oclc.compiler.OverrideVerifier;
import oclc.compiler.Progress;
import oclc.families.KernelFamilies;
import oclc.ir.Constant;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OclcException;
import oclc.ir.ShapeAssertion;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.ReferenceExecutor;
import oclc.lowering.LoweredGraph;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.runtime.Executable;
import oclc.runtime.KernelBuilder;
import oclc.runtime.LaunchTiming;
import oclc.runtime.OpenClContext;
import oclc.runtime.Session;

/**
 * {@code oclc tune}'s measurements. Each size class of each kernel family ({@link TuningUnit}) is
 * found in the model by lowering it with the class's parameters changed (the nodes whose kernels
 * change are the nodes it decides); it is measured at the smallest and the largest size of the
 * class the compiled ranges reach, on those nodes alone (one of each shape, weighted by how often
 * the model has it) with random inputs, lowered for the compiled ranges as the compile lowers them,
 * on the device: warmed once, checked against the reference executor, then the median device time
 * of several runs. Candidates go round the classes, defaults first, until the budget is spent.
 */
public final class ScheduleTuner {
  /**
   * A candidate must beat the defaults by this factor to replace them: smaller gains are noise
   * here.
   */
  static final double MIN_GAIN = 1.03;

  /** Timed runs go on until this much wall time (nanoseconds) has passed, or MAX_RUNS. */
  private static final long MIN_TIMED = 20_000_000;

  private static final int MAX_RUNS = 100;

  /** Relative L2 error a candidate may have against the reference (float outputs). */
  private static final double TOLERANCE = 1e-4;

  /** Where a class is measured: each symbol's size, and the value the class's dim takes there. */
  record Point(Map<String, Long> sizes, long classSize) {}

  /**
   * What tuning found for one class: times are the sums over its points of the median device time.
   */
  public record Outcome(
      String label,
      String dim,
      List<Long> at,
      List<Map<String, Long>> sizes,
      int nodes,
      double defaultNanos,
      double bestNanos,
      String defaultParameters,
      String chosenParameters,
      int tried,
      int candidates,
      String note) {
    public double gain() {
      return defaultNanos / bestNanos;
    }

    /** A class tuning did not time, and why. */
    static Outcome unmeasured(String label, String why) {
      return new Outcome(
          label, "", List.of(), List.of(), 0, Double.NaN, Double.NaN, "", "", 0, 0, why);
    }
  }

  /** The tuned schedule, one outcome per class the model has, and why tuning ended. */
  public record Result(
      Schedule schedule, List<Outcome> outcomes, int measurements, String ending) {}

  /**
   * The nodes of one class at one point alone in a graph, with inputs drawn once and their
   * reference outputs.
   */
  private static final class Bench {
    final Point point;
    final Graph graph;
    final Map<String, Integer> weights;
    final Map<String, Tensor> inputs;
    Map<String, Tensor> expected;

    Bench(Point point, Graph graph, Map<String, Integer> weights, Map<String, Tensor> inputs) {
      this.point = point;
      this.graph = graph;
      this.weights = weights;
      this.inputs = inputs;
    }
  }

  /** One class's plan and what its measurements gave. */
  private static final class Plan {
    final TuningUnit unit;
    final String dim;
    final List<Bench> benches;
    final Deque<Schedule> queue;
    final int candidates;
    final Set<List<String>> lowerings = new HashSet<>();
    Schedule best;
    double bestNanos = Double.NaN;
    double defaultNanos = Double.NaN;
    int measured;
    int tried;
    double lastSeconds;
    boolean confirmed;
    boolean refined;

    Plan(
        TuningUnit unit,
        String dim,
        List<Bench> benches,
        List<Schedule> candidates,
        int refinements) {
      this.unit = unit;
      this.dim = dim;
      this.benches = benches;
      this.queue = new ArrayDeque<>(candidates);
      this.candidates = candidates.size() + refinements;
    }

    /** The next candidate: the first round's, then (once) the refinements of its best. */
    Schedule next(Schedule base) {
      if (queue.isEmpty() && !refined) {
        refined = true;
        queue.addAll(unit.refinements(best == null ? base : best));
      }
      return queue.peek();
    }
  }

  private final Graph model;
  private final SizeRanges ranges;
  private final Schedule base;
  private final OpenClContext device;
  private final KernelCache cache;
  private final Path scratch;
  private final Consumer<String> warnings;
  private final int repeats;
  private final long deadline;
  private int artifacts;

  /**
   * Tunes {@code base} (a device type's defaults, or a schedule to start from) until {@code
   * deadline} ({@link System#nanoTime()}).
   */
  public ScheduleTuner(
      Graph model,
      SizeRanges ranges,
      Schedule base,
      OpenClContext device,
      KernelCache cache,
      Path scratch,
      Consumer<String> warnings,
      int repeats,
      long deadline) {
    this.model = model;
    this.ranges = ranges;
    this.base = base.validated();
    this.device = device;
    this.cache = cache;
    this.scratch = scratch;
    this.warnings = warnings;
    this.repeats = repeats;
    this.deadline = deadline;
  }

  public Result tune(Progress bar) {
    List<Plan> plans = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    Map<String, List<String>> lowered =
        keys(
            GraphLowering.lower(
                KernelFamilies.openCl(), model, ranges, KernelOverrides.none(), base));
    List<String> unexplored = new ArrayList<>();
    for (TuningUnit unit : TuningUnit.of(base)) {
      if (System.nanoTime() > deadline) {
        unexplored.add(unit.label(base));
        continue;
      }
      Map<String, NodeLaunches> probe = new HashMap<>();
      LoweredGraph probed =
          GraphLowering.lower(
              KernelFamilies.openCl(), model, ranges, KernelOverrides.none(), unit.probe(base));
      probed.nodes().forEach(n -> probe.put(n.name(), n));
      Map<Node, Set<Integer>> decided = decided(lowered, keys(probed));
      List<Bench> benches = decided.isEmpty() ? List.of() : benches(unit, decided, probe);
      if (benches.isEmpty()) {
        absent.add(unit.label(base));
        continue;
      }
      plans.add(
          new Plan(
              unit,
              dimOf(decided, probe),
              benches,
              unit.candidates(base, device.info().maxWorkGroupSize()),
              unit.refinements(base).size()));
    }
    bar.start(plans.stream().mapToInt(p -> p.candidates).sum());
    long confirmFrom = deadline - Math.max(0, deadline - System.nanoTime()) / 10;
    String ending = measure(plans, bar, confirmFrom);
    if (!unexplored.isEmpty() && plans.stream().allMatch(p -> p.measured == 0)) {
      ending = "the budget was spent before the first measurement";
    }
    bar.end();
    confirm(plans);
    Schedule tuned = base;
    List<Outcome> outcomes = new ArrayList<>();
    for (Plan plan : plans) {
      String note = "";
      if (plan.measured == 0) {
        note = "not measured: the budget ran out";
      } else if (Double.isNaN(plan.defaultNanos)) {
        note = "the defaults failed; see the warnings";
      } else if (plan.best != base && plan.defaultNanos / plan.bestNanos < MIN_GAIN) {
        note =
            "best "
                + plan.unit.parameters(plan.best)
                + " within noise (< "
                + MIN_GAIN
                + "x): defaults kept";
        plan.best = base;
        plan.bestNanos = plan.defaultNanos;
      }
      if (plan.best != base && plan.best != null && !plan.confirmed) {
        note = (note.isEmpty() ? "" : note + "; ") + "not measured again (no budget left)";
      }
      int left =
          plan.queue.size()
              + (plan.refined
                  ? 0
                  : plan.unit.refinements(plan.best == null ? base : plan.best).size());
      if (plan.measured > 0 && left > 0) {
        note =
            (note.isEmpty() ? "" : note + "; ") + left + " candidates left when the budget ran out";
      }
      if (plan.best != null && !Double.isNaN(plan.defaultNanos)) {
        tuned = plan.unit.copy(plan.best, tuned);
      }
      outcomes.add(
          new Outcome(
              plan.unit.label(base),
              plan.dim,
              plan.benches.stream().map(b -> b.point.classSize()).toList(),
              plan.benches.stream().map(b -> b.point.sizes()).toList(),
              plan.benches.getFirst().weights.values().stream().mapToInt(Integer::intValue).sum(),
              plan.defaultNanos,
              plan.bestNanos,
              plan.unit.parameters(base),
              plan.unit.parameters(plan.best == null ? base : plan.best),
              plan.tried,
              plan.candidates,
              note));
    }
    absent.forEach(
        label ->
            outcomes.add(
                Outcome.unmeasured(
                    label, "no node of the model falls in this class at the compiled sizes")));
    unexplored.forEach(
        label ->
            outcomes.add(
                Outcome.unmeasured(
                    label, "not measured: the budget ran out before its nodes were found")));
    int measurements = plans.stream().mapToInt(p -> p.measured).sum();
    return new Result(tuned, outcomes, measurements, ending);
  }

  /**
   * Round the classes, one candidate each, while the budget lasts: a class whose next candidate
   * would not fit (going by how long its last one took) drops out, the others go on. Says why it
   * stopped.
   */
  private String measure(List<Plan> plans, Progress bar, long until) {
    double totalSeconds = 0;
    int count = 0;
    boolean left = true;
    boolean outOfTime = false;
    Set<Plan> done = new HashSet<>();
    while (left) {
      left = false;
      for (Plan plan : plans) {
        Schedule candidate = done.contains(plan) ? null : plan.next(base);
        if (candidate == null) {
          continue;
        }
        double estimate =
            plan.measured > 0 ? plan.lastSeconds : count > 0 ? totalSeconds / count : 0;
        if (System.nanoTime() + (long) (estimate * 1e9) > until) {
          done.add(plan);
          outOfTime = true;
          continue;
        }
        plan.queue.poll();
        plan.tried++;
        left = true;
        long start = System.nanoTime();
        Double nanos = measure(plan, candidate);
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.step(plan.unit.label(base));
        if (nanos == null) {
          continue; // the same kernels as a candidate measured before, or beyond the device
        }
        plan.lastSeconds = seconds;
        totalSeconds += seconds;
        count++;
        plan.measured++;
        if (candidate == base || candidate.equals(base)) {
          plan.defaultNanos = nanos;
        }
        if (!Double.isNaN(nanos) && (plan.best == null || nanos < plan.bestNanos)) {
          plan.best = candidate.equals(base) ? base : candidate;
          plan.bestNanos = nanos;
        }
      }
    }
    if (outOfTime) {
      return count == 0
          ? "the budget was spent before the first measurement"
          : "the budget was spent";
    }
    return "every candidate measured";
  }

  /**
   * Measures each class's winner and its defaults once more, one after the other, while the budget
   * lasts, and keeps the smaller time of each (another process can only add time): a winner that
   * was lucky once loses its lead here.
   */
  private void confirm(List<Plan> plans) {
    double lastSeconds =
        0; // the kernels are built by now: measuring again costs less than the first time
    for (Plan plan : plans) {
      if (plan.best == null || plan.best == base || Double.isNaN(plan.defaultNanos)) {
        continue;
      }
      if (System.nanoTime() + (long) (lastSeconds * 1e9) > deadline) {
        continue;
      }
      long start = System.nanoTime();
      try {
        double defaults = 0;
        double best = 0;
        for (Bench bench : plan.benches) {
          defaults += time(bench, base, plan.unit.label(base) + " " + plan.unit.parameters(base));
          best +=
              time(bench, plan.best, plan.unit.label(base) + " " + plan.unit.parameters(plan.best));
        }
        plan.defaultNanos = Math.min(plan.defaultNanos, defaults);
        plan.bestNanos = Math.min(plan.bestNanos, best);
        plan.confirmed = true;
        lastSeconds = (System.nanoTime() - start) / 1e9;
      } catch (OclcException | IllegalStateException e) {
        warnings.accept(plan.unit.label(base) + ": measuring again failed: " + e.getMessage());
      }
    }
  }

  /**
   * The candidate's time: per point, the median of the weighted device time of the class's nodes;
   * summed over the points. Null when its kernels are those of a candidate measured before or
   * exceed the device's work-group limit; NaN when it failed (a warning says how).
   */
  private Double measure(Plan plan, Schedule candidate) {
    List<String> lowering = new ArrayList<>();
    for (Bench bench : plan.benches) {
      LoweredGraph lowered =
          GraphLowering.lower(
              KernelFamilies.openCl(), bench.graph, ranges, KernelOverrides.none(), candidate);
      for (NodeLaunches node : lowered.nodes()) {
        for (Variant v : node.variants()) {
          for (Dispatch d : v.dispatches()) {
            long items =
                d.localSize().stream()
                    .mapToLong(l -> l.isConstant() ? l.constant() : 1)
                    .reduce(1, (x, y) -> x * y);
            if (items > device.info().maxWorkGroupSize()) {
              return null;
            }
          }
        }
      }
      lowering.addAll(keys(lowered).values().stream().flatMap(List::stream).toList());
    }
    if (!plan.lowerings.add(lowering)) {
      return null;
    }
    double total = 0;
    for (Bench bench : plan.benches) {
      try {
        total +=
            time(bench, candidate, plan.unit.label(base) + " " + plan.unit.parameters(candidate));
      } catch (OclcException | IllegalStateException e) {
        warnings.accept(
            plan.unit.label(base)
                + " with "
                + plan.unit.parameters(candidate)
                + " at "
                + bench.point.sizes()
                + " left out: "
                + e.getMessage());
        return Double.NaN;
      }
    }
    return total;
  }

  /**
   * Median weighted device time of the bench's nodes with {@code candidate}, after one checked
   * warm-up run.
   */
  private double time(Bench bench, Schedule candidate, String what) {
    Path folder = scratch.resolve("candidate-" + artifacts++ + ".oclc");
    // Unfused, as the lowerings that found the class's nodes: each node's own kernel is what is
    // timed.
    ModelCompiler.writeArtifact(
        new LoadedModel(Path.of(bench.graph.name() + ".onnx"), bench.graph, bench.graph),
        folder,
        ranges,
        KernelOverrides.none(),
        candidate,
        false);
    try (Executable executable =
            Executable.load(folder, device, cache, KernelBuilder.SILENT, warnings);
        Session session = executable.newSession().poisonBuffers(true).profile(true)) {
      bench.inputs.forEach(session::bind);
      session.run(); // POCL compiles the work-group function at the first launch
      if (bench.expected == null) {
        bench.expected = new ReferenceExecutor().run(bench.graph, bench.inputs);
      }
      for (ValueInfo out : bench.graph.outputs()) {
        OverrideVerifier.compare(
                bench.expected.get(out.name()), session.output(out.name()), TOLERANCE)
            .ifPresent(
                problem -> {
                  throw new OclcException(what + ": output '" + out.name() + "' " + problem);
                });
      }
      // At least the repeats asked for, and more for kernels of microseconds, up to MIN_TIMED of
      // runs.
      List<Double> runs = new ArrayList<>();
      long timedFrom = System.nanoTime();
      while (runs.size() < repeats
          || (System.nanoTime() - timedFrom < MIN_TIMED && runs.size() < MAX_RUNS)) {
        session.run();
        double nanos = 0;
        for (LaunchTiming t : session.timings()) {
          nanos += (double) t.nanoseconds() * bench.weights.getOrDefault(t.node(), 0);
        }
        runs.add(nanos);
      }
      runs.sort(null);
      return runs.get(runs.size() / 2);
    } finally {
      Folders.deleteTree(folder);
    }
  }

  /** Node → variant → what decides its speed: per dispatch the kernel source and work sizes. */
  private static Map<String, List<String>> keys(LoweredGraph lowered) {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (NodeLaunches node : lowered.nodes()) {
      List<String> variants = new ArrayList<>();
      for (Variant v : node.variants()) {
        // Not the name or the conditions: two classes of one kernel merge into one variant
        // (VariantNames), which changes those and no launch.
        StringBuilder key = new StringBuilder();
        for (Dispatch d : v.dispatches()) {
          key.append(lowered.kernelSources().get(d.kernel()))
              .append(d.globalSize())
              .append(d.localSize());
        }
        variants.add(key.toString());
      }
      keys.put(node.name(), variants);
    }
    return keys;
  }

  /**
   * The nodes the probe's class decides, each with the indices of its variants in the probe's
   * lowering that the defaults' lowering lacks (the class's, with its range).
   */
  private Map<Node, Set<Integer>> decided(
      Map<String, List<String>> before, Map<String, List<String>> probe) {
    Map<Node, Set<Integer>> decided = new LinkedHashMap<>();
    for (Node node : model.nodes()) {
      Set<String> known = new HashSet<>(before.get(node.name()));
      List<String> variants = probe.get(node.name());
      Set<Integer> changed = new TreeSet<>();
      for (int i = 0; i < variants.size(); i++) {
        if (!known.contains(variants.get(i))) {
          changed.add(i);
        }
      }
      if (!changed.isEmpty()) {
        decided.put(node, changed);
      }
    }
    return decided;
  }

  /** The dim a class's nodes are cut by (their first condition's), for the report. */
  private static String dimOf(Map<Node, Set<Integer>> decided, Map<String, NodeLaunches> probe) {
    for (var entry : decided.entrySet()) {
      for (int i : entry.getValue()) {
        List<Condition> when = probe.get(entry.getKey().name()).variants().get(i).when();
        if (!when.isEmpty()) {
          return when.getFirst().dim().toString();
        }
      }
    }
    return "";
  }

  /**
   * The class's benches: at the smallest and the largest class size over a grid of the compiled
   * sizes.
   */
  private List<Bench> benches(
      TuningUnit unit, Map<Node, Set<Integer>> decided, Map<String, NodeLaunches> probe) {
    // Points where the most of the class's nodes meet it first (a node of a constant length meets
    // it everywhere), then the smallest and the largest class size, then the least other work.
    Comparator<Candidate> smallest =
        Comparator.comparingInt((Candidate c) -> -c.nodes.size())
            .thenComparingLong(c -> c.point.classSize())
            .thenComparingLong(Candidate::work);
    Comparator<Candidate> largest =
        Comparator.comparingInt((Candidate c) -> -c.nodes.size())
            .thenComparingLong(c -> -c.point.classSize())
            .thenComparingLong(Candidate::work);
    List<Candidate> candidates = new ArrayList<>();
    for (Map<String, Long> sizes : grid(decided, probe)) {
      List<Node> nodes = new ArrayList<>();
      long classSize = 0;
      for (var entry : decided.entrySet()) {
        List<Variant> variants = probe.get(entry.getKey().name()).variants();
        int chosen = -1;
        for (int i = 0; i < variants.size() && chosen < 0; i++) {
          if (variants.get(i).admits(sizes::get)) {
            chosen = i;
          }
        }
        if (chosen >= 0 && entry.getValue().contains(chosen) && nonEmpty(entry.getKey(), sizes)) {
          nodes.add(entry.getKey());
          List<Condition> when = variants.get(chosen).when();
          classSize =
              Math.max(classSize, when.isEmpty() ? 0 : when.getFirst().dim().evaluate(sizes::get));
        }
      }
      if (!nodes.isEmpty()) {
        candidates.add(new Candidate(new Point(sizes, classSize), nodes));
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    Candidate low = candidates.stream().min(smallest).orElseThrow();
    Candidate high = candidates.stream().min(largest).orElseThrow();
    List<Bench> benches = new ArrayList<>(List.of(bench(unit, low)));
    if (!high.point.sizes().equals(low.point.sizes())) {
      benches.add(bench(unit, high));
    }
    return benches;
  }

  /**
   * Nodes of a class admitted at a point; its work is the sum of the sizes, to prefer the cheaper
   * of equals.
   */
  private record Candidate(Point point, List<Node> nodes) {
    long work() {
      return point.sizes().values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Every combination of, per symbol, its ends and every class bound of the nodes' variants within
   * its range, that the model's assumptions allow.
   */
  private List<Map<String, Long>> grid(
      Map<Node, Set<Integer>> decided, Map<String, NodeLaunches> probe) {
    Set<Long> bounds = new TreeSet<>();
    for (var entry : decided.entrySet()) {
      for (Variant v : probe.get(entry.getKey().name()).variants()) {
        v.when()
            .forEach(
                c -> {
                  bounds.add(c.min());
                  bounds.add(c.max());
                });
      }
    }
    List<Map<String, Long>> points = new ArrayList<>(List.of(new LinkedHashMap<>()));
    for (var symbol : ranges.freeSymbols().entrySet()) {
      SizeRanges.Interval r = symbol.getValue();
      Set<Long> values =
          new LinkedHashSet<>(List.of(r.min(), Math.min(r.min() + 1, r.max()), r.max()));
      bounds.stream().filter(b -> b >= r.min() && b <= r.max()).forEach(values::add);
      List<Map<String, Long>> next = new ArrayList<>();
      for (Map<String, Long> p : points) {
        for (long v : values) {
          Map<String, Long> q = new LinkedHashMap<>(p);
          q.put(symbol.getKey(), v);
          next.add(q);
        }
      }
      points = next;
      if (points.size() > 100_000) {
        throw new OclcException(
            "oclc tune: too many symbols to search the sizes of their classes ("
                + ranges.symbols().keySet()
                + "); give single sizes with --dim for some");
      }
    }
    return points.stream()
        .map(ranges::withUnified)
        .filter(p -> allows(model.assertions(), p))
        .toList();
  }

  private static boolean allows(List<ShapeAssertion> assertions, Map<String, Long> sizes) {
    return assertions.stream().allMatch(a -> a.holds(sizes::get));
  }

  private boolean nonEmpty(Node node, Map<String, Long> sizes) {
    for (String output : node.outputs()) {
      if (!output.isEmpty()) {
        for (long d : model.type(output).orElseThrow().shape().evaluate(sizes::get)) {
          if (d == 0) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * The nodes alone, one of each shape (weighted by how many the model has): their inputs that no
   * other of them computes, and the model's inputs (which bind the symbols), as graph inputs with
   * their symbolic types, drawn at random at the point.
   */
  private Bench bench(TuningUnit unit, Candidate at) {
    Map<String, Node> bySignature = new LinkedHashMap<>();
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (Node node : at.nodes()) {
      Node first = bySignature.computeIfAbsent(signature(node), s -> node);
      weights.merge(first.name(), 1, Integer::sum);
    }
    List<Node> nodes = List.copyOf(bySignature.values());
    Set<String> produced = new HashSet<>();
    nodes.forEach(n -> produced.addAll(n.outputs()));
    List<ValueInfo> inputs = new ArrayList<>(model.inputs());
    Set<String> inputNames = new HashSet<>();
    inputs.forEach(in -> inputNames.add(in.name()));
    Map<String, Constant> constants = new LinkedHashMap<>();
    Map<String, TensorType> types = new LinkedHashMap<>();
    List<ValueInfo> outputs = new ArrayList<>();
    for (Node node : nodes) {
      for (String input : node.inputs()) {
        if (input.isEmpty()) {
          continue;
        }
        Constant known = model.constants().get(input);
        if (known != null) {
          constants.put(input, known);
        } else if (!produced.contains(input) && inputNames.add(input)) {
          inputs.add(new ValueInfo(input, model.type(input).orElseThrow()));
        }
      }
      for (String output : node.outputs()) {
        if (!output.isEmpty()) {
          TensorType type = model.type(output).orElseThrow();
          types.put(output, type);
          outputs.add(new ValueInfo(output, type));
        }
      }
    }
    Graph graph =
        new Graph(
            "tune-" + unit.family().label + "-" + unit.index() + "-" + at.point().classSize(),
            inputs,
            outputs,
            nodes,
            constants,
            types,
            // The unifications name symbols of the model's inputs, which these inputs are not.
            model.assertions().stream().filter(a -> !a.equality()).toList(),
            model.opsets());
    Random random = new Random(graph.name().hashCode());
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (ValueInfo in : inputs) {
      values.put(
          in.name(),
          OverrideVerifier.randomTensor(
              in.dtype(), in.shape().evaluate(at.point().sizes()::get), random));
    }
    return new Bench(at.point(), graph, weights, values);
  }

  /** What a node's kernels depend on: its op, attributes and input types (constants by shape). */
  private String signature(Node node) {
    StringBuilder s =
        new StringBuilder(node.domain())
            .append(':')
            .append(node.opType())
            .append(node.attributes());
    for (String input : node.inputs()) {
      s.append('|');
      if (!input.isEmpty()) {
        Constant c = model.constants().get(input);
        s.append(
            c != null
                ? "constant " + c.type()
                : model.type(input).map(Object::toString).orElse(input));
      }
    }
    return s.toString();
  }
}
