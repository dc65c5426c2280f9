package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.ValueInfo;
import oclc.lowering.BroadcastGeometry;
import oclc.lowering.Dims;
import oclc.lowering.LoweringAttributes;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.lowering.passes.FusionPlanner;

/**
 * Operator fusion ({@code compile --fuse}): which nodes one launch computes. Two kinds of group:
 *
 * <ul>
 *   <li>an <b>epilogue</b>: a MatMul or Gemm whose kernel takes one (the packed GEMV and GEMM, the
 *       batched product) and the float32 elementwise nodes after it that read its result (bias
 *       adds, the GELU chain, residual adds, attention's scaling and mask), through views (Reshape
 *       and the like) too, on as many elements as the product has; each element goes through them
 *       in registers before it is stored;
 *   <li>a <b>chain</b>: float32 elementwise nodes whose shapes broadcast to one output shape, one
 *       work-item per element of it (a node of a smaller shape, such as LayerNorm's {@code var +
 *       eps} and its {@code Sqrt}, is recomputed per element rather than stored).
 * </ul>
 *
 * <p>A value inside a group is stored only when a node outside the group (or the graph's output)
 * reads it; it must then have the group's shape. A group's other inputs must all be computed before
 * it starts, and it launches where its first node was. Nodes with a user kernel are never fused;
 * nothing is fused across a KV-cache append or any node that is neither elementwise nor a view.
 * Growth is greedy, node by node in graph order, so it ends. The plan is made by the fusion-groups
 * pass ({@link #planner}), which records it in the graph, and read back by the lowering ({@link
 * #recorded}); the decomposed norms are one node each by then (fuse-decomposed-norms).
 */
final class Fusion {
  private Fusion() {}

  /** What one launch computes: one node, as its family lowers it, or a group. */
  sealed interface Unit permits Single, Group {}

  record Single(Node node) implements Unit {}

  /** A product's output as its kernel walks it: batches × rows × columns, row-major. */
  record ProductSpace(Dim batches, Dim rows, Dim columns) {}

  /**
   * A group: {@code anchor} (a product, with its {@code space}) or none for a chain of {@code
   * shape}; {@code members} the fused nodes in order (views among them only rename registers);
   * {@code covered} the nodes the launch stands for (views also launched alone excluded); and
   * {@code stored} the values it writes.
   */
  record Group(
      Node anchor,
      ProductSpace space,
      List<Dim> shape,
      List<Node> members,
      List<Node> covered,
      List<String> stored)
      implements Unit {
    /** The node the launch is named after: the product, or the chain's first node. */
    Node first() {
      return anchor != null ? anchor : members.getFirst();
    }

    /** The anchor's output, when there is an anchor. */
    String anchorOutput() {
      return anchor == null ? null : anchor.outputs().getFirst();
    }

    /** The values computed in registers and never stored. */
    List<String> internal() {
      List<String> values = new ArrayList<>();
      if (anchor != null) {
        values.add(anchorOutput());
      }
      covered.stream().filter(n -> n != anchor).forEach(n -> values.add(n.outputs().getFirst()));
      values.removeAll(stored);
      return values;
    }
  }

  /**
   * The planner the fusion-groups pass runs for the OpenCL backend: the units of a graph (after
   * kv-cache-append) in launch order, fused where the rules allow, as the pass records them.
   */
  static FusionPlanner planner(SizeRanges ranges, Schedule schedule, KernelOverrides overrides) {
    return graph -> {
      LoweringContext context = new LoweringContext(graph, ranges, schedule.validated());
      List<Unit> units = new Planner(graph, context, overrides).plan();
      Map<Node, Integer> index = new HashMap<>();
      graph.nodes().forEach(n -> index.put(n, index.size()));
      List<FusionPlanner.Group> groups = new ArrayList<>();
      for (int u = 0; u < units.size(); u++) {
        if (!(units.get(u) instanceof Group group)) {
          continue;
        }
        Node first = group.first();
        // The singles launched just before a group from after its first node: what it hoisted.
        List<String> before = new ArrayList<>();
        for (int b = u - 1;
            b >= 0
                && units.get(b) instanceof Single(Node single)
                && index.get(single) > index.get(first);
            b--) {
          before.addFirst(single.name());
        }
        groups.add(
            new FusionPlanner.Group(
                first.name(),
                group.anchor() != null,
                group.members().stream().filter(m -> m != first).map(Node::name).toList(),
                group.members().stream()
                    .filter(m -> !group.covered().contains(m))
                    .map(Node::name)
                    .toList(),
                group.stored(),
                before));
      }
      return groups;
    };
  }

  /**
   * The units of a graph after the lowering passes, in launch order, as the fusion-groups pass
   * recorded them (every node alone where it recorded none).
   */
  static List<Unit> recorded(Graph graph, LoweringContext context) {
    Map<String, List<Node>> members = new HashMap<>();
    Map<String, List<Node>> before = new HashMap<>();
    for (Node node : graph.nodes()) {
      LoweringAttributes.string(node, LoweringAttributes.FUSED_INTO)
          .ifPresent(g -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(node));
      LoweringAttributes.string(node, LoweringAttributes.LAUNCHED_BEFORE)
          .ifPresent(g -> before.computeIfAbsent(g, k -> new ArrayList<>()).add(node));
    }
    List<Unit> units = new ArrayList<>();
    for (Node node : graph.nodes()) {
      Optional<String> kind = LoweringAttributes.string(node, LoweringAttributes.FUSION_GROUP);
      if (kind.isPresent()) {
        before.getOrDefault(node.name(), List.of()).forEach(n -> units.add(new Single(n)));
        units.add(group(node, kind.get(), members.getOrDefault(node.name(), List.of()), context));
      } else if (LoweringAttributes.string(node, LoweringAttributes.LAUNCHED_BEFORE).isPresent()
          || (LoweringAttributes.string(node, LoweringAttributes.FUSED_INTO).isPresent()
              && !node.attributes().has(LoweringAttributes.LAUNCHED_ALONE_TOO))) {
        continue; // launched with its group
      } else {
        units.add(new Single(node));
      }
    }
    return units;
  }

  /** A recorded group: its shape, and an epilogue's product space, are its nodes'. */
  private static Group group(Node first, String kind, List<Node> others, LoweringContext context) {
    boolean epilogue = kind.equals(LoweringAttributes.EPILOGUE);
    List<Node> members = new ArrayList<>();
    if (!epilogue) {
      members.add(first);
    }
    members.addAll(others);
    List<Node> covered = new ArrayList<>();
    if (epilogue) {
      covered.add(first);
    }
    members.stream()
        .filter(m -> !m.attributes().has(LoweringAttributes.LAUNCHED_ALONE_TOO))
        .forEach(covered::add);
    List<Dim> shape = context.shape(first.outputs().getFirst());
    if (!epilogue) {
      for (Node m : members) {
        shape =
            broadcast(shape, context.shape(m.outputs().getFirst()))
                .orElseThrow(() -> new IllegalStateException("a chain of no one shape: " + m));
      }
    }
    ProductSpace space =
        epilogue
            ? MatMulLowering.productSpace(first, context)
                .orElseThrow(() -> new IllegalStateException("an epilogue of no product: " + first))
            : null;
    return new Group(
        epilogue ? first : null,
        space,
        shape,
        members,
        covered,
        LoweringAttributes.strings(first, LoweringAttributes.STORED));
  }

  /**
   * The strides of a leaf in an epilogue's (batch, row, column) space, for the shape of the member
   * reading it.
   */
  static Optional<List<Dim>> productStrides(
      ProductSpace space, List<Dim> leafShape, List<Dim> readerShape) {
    int rank = readerShape.size();
    if (leafShape.size() > rank) {
      return Optional.empty();
    }
    List<Dim> leaf = new ArrayList<>();
    for (int i = leafShape.size(); i < rank; i++) {
      leaf.add(Dim.of(1));
    }
    leaf.addAll(leafShape);
    List<Dim> leafStrides = Dims.rowMajorStrides(leaf);
    for (int a = 0; a <= rank; a++) {
      if (!Dims.product(readerShape.subList(0, a)).equals(space.batches())) {
        continue;
      }
      for (int b = a; b <= rank; b++) {
        if (!Dims.product(readerShape.subList(a, b)).equals(space.rows())
            || !Dims.product(readerShape.subList(b, rank)).equals(space.columns())) {
          continue;
        }
        Optional<Dim> batch = axisStride(leaf, leafStrides, readerShape, 0, a);
        Optional<Dim> row = axisStride(leaf, leafStrides, readerShape, a, b);
        Optional<Dim> column = axisStride(leaf, leafStrides, readerShape, b, rank);
        if (batch.isPresent() && row.isPresent() && column.isPresent()) {
          return Optional.of(List.of(batch.get(), row.get(), column.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The stride of a leaf along the axes [from, to) of the reader merged into one: 0 where the leaf
   * is broadcast along all of them, its innermost stride where it spans them all; empty when it
   * spans some and not others (its offset is then no multiple of the merged index).
   */
  private static Optional<Dim> axisStride(
      List<Dim> leaf, List<Dim> leafStrides, List<Dim> reader, int from, int to) {
    boolean broadcast = true;
    boolean spans = true;
    Dim stride = Dim.of(0);
    for (int i = from; i < to; i++) {
      if (Dims.isOne(reader.get(i))) {
        continue;
      }
      broadcast &= Dims.isOne(leaf.get(i));
      spans &= leaf.get(i).equals(reader.get(i));
      stride = leafStrides.get(i);
    }
    return broadcast ? Optional.of(Dim.of(0)) : spans ? Optional.of(stride) : Optional.empty();
  }

  /**
   * The shape both broadcast to (numpy's rule over dims: equal, or one of them 1), when there is
   * one.
   */
  static Optional<List<Dim>> broadcast(List<Dim> a, List<Dim> b) {
    int rank = Math.max(a.size(), b.size());
    Dim[] out = new Dim[rank];
    for (int i = 0; i < rank; i++) {
      Dim x = i < rank - a.size() ? Dim.of(1) : a.get(i - (rank - a.size()));
      Dim y = i < rank - b.size() ? Dim.of(1) : b.get(i - (rank - b.size()));
      if (x.equals(y) || Dims.isOne(y)) {
        out[i] = x;
      } else if (Dims.isOne(x)) {
        out[i] = y;
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(Arrays.asList(out));
  }

  private static final class Planner {
    private final Graph graph;
    private final LoweringContext context;
    private final KernelOverrides overrides;
    private final List<Node> nodes;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> readers = new HashMap<>();
    private final Set<String> graphOutputs = new LinkedHashSet<>();

    /** Per node, whether a unit already launches it. */
    private final boolean[] placed;

    /**
     * Nodes after the group's first that its members read and that do not depend on it (the mask
     * slices that attention's Where reads): launched before the group, in graph order.
     */
    private final java.util.TreeSet<Integer> hoisted = new java.util.TreeSet<>();

    Planner(Graph graph, LoweringContext context, KernelOverrides overrides) {
      this.graph = graph;
      this.context = context;
      this.overrides = overrides;
      this.nodes = graph.nodes();
      this.placed = new boolean[nodes.size()];
      for (int i = 0; i < nodes.size(); i++) {
        for (String output : nodes.get(i).outputs()) {
          producer.put(output, i);
        }
        for (String input : nodes.get(i).inputs()) {
          List<Integer> list = readers.computeIfAbsent(input, k -> new ArrayList<>());
          if (!list.contains(i)) {
            list.add(i);
          }
        }
      }
      graph.outputs().stream().map(ValueInfo::name).forEach(graphOutputs::add);
    }

    List<Unit> plan() {
      List<Unit> units = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (placed[i]) {
          continue;
        }
        hoisted.clear();
        Node node = nodes.get(i);
        Optional<Group> group = Optional.empty();
        if (overrides.find(node).isEmpty() && node.outputs().size() == 1) {
          Optional<ProductSpace> space = productSpace(node);
          if (space.isPresent()) {
            group = grow(i, space.get());
          } else if (FusedCode.fusable(node, context)) {
            group = grow(i, null);
          }
        }
        if (group.isPresent()) {
          for (int h : hoisted) { // what the group's members read, computed first
            placed[h] = true;
            units.add(new Single(nodes.get(h)));
          }
          group.get().covered().forEach(n -> placed[nodes.indexOf(n)] = true);
          units.add(group.get());
        } else {
          placed[i] = true;
          units.add(new Single(node));
        }
      }
      return units;
    }

    private Optional<ProductSpace> productSpace(Node node) {
      try {
        return MatMulLowering.productSpace(node, context);
      } catch (NotLowerableException | IllegalArgumentException e) {
        return Optional.empty(); // its own lowering says why
      }
    }

    /**
     * A group from node {@code start}: a product's epilogue when {@code space} is given, else a
     * chain.
     */
    private Optional<Group> grow(int start, ProductSpace space) {
      Node first = nodes.get(start);
      List<Node> members = new ArrayList<>();
      Set<String> values = new LinkedHashSet<>(first.outputs());
      List<Dim> shape = context.shape(first.outputs().getFirst());
      if (space == null) {
        members.add(first);
      }
      PriorityQueue<Integer> candidates =
          new PriorityQueue<>(readers.getOrDefault(first.outputs().getFirst(), List.of()));
      Set<Integer> seen = new java.util.HashSet<>();
      while (!candidates.isEmpty()) {
        int c = candidates.poll();
        if (placed[c] || !seen.add(c)) {
          continue;
        }
        Node candidate = nodes.get(c);
        if (overrides.find(candidate).isPresent() || candidate.outputs().size() != 1) {
          continue;
        }
        boolean view =
            space != null && isView(candidate) && values.contains(candidate.inputs().getFirst());
        if (!view && !FusedCode.fusable(candidate, context)) {
          continue;
        }
        Set<Integer> before = new java.util.TreeSet<>();
        boolean ready =
            candidate.inputs().stream()
                .allMatch(in -> values.contains(in) || available(in, values, before));
        if (!ready) {
          continue; // it reads a value that depends on the group
        }
        List<Dim> grown = shape;
        if (space == null) {
          Optional<List<Dim>> b = broadcast(shape, context.shape(candidate.outputs().getFirst()));
          if (b.isEmpty()) {
            continue;
          }
          grown = b.get();
        } else if (!Dims.product(context.shape(candidate.outputs().getFirst()))
            .equals(Dims.product(shape))) {
          continue; // an epilogue computes as many elements as the product
        }
        List<Node> tentative = new ArrayList<>(members);
        tentative.add(candidate);
        if (valid(first, space, grown, tentative)) {
          hoisted.addAll(before);
          members = tentative;
          shape = grown;
          values.add(candidate.outputs().getFirst());
          candidates.addAll(readers.getOrDefault(candidate.outputs().getFirst(), List.of()));
        }
      }
      long computing = members.stream().filter(m -> !isView(m)).count();
      if (computing < (space == null ? 2 : 1)) {
        return Optional.empty();
      }
      // Views whose result something outside reads are launched alone too (as views of a stored
      // value).
      List<Node> covered = new ArrayList<>();
      if (space != null) {
        covered.add(first);
      }
      Set<Node> inGroup = new java.util.HashSet<>(members);
      inGroup.add(first);
      for (Node m : members) {
        if (!isView(m) || !readOutside(m.outputs().getFirst(), inGroup)) {
          covered.add(m);
        }
      }
      List<String> stored = stored(first, space, members);
      return Optional.of(
          new Group(space == null ? null : first, space, shape, members, covered, stored));
    }

    /**
     * Whether {@code value} can be computed before the group: it is an input or constant, its node
     * is launched already, or its node and the unlaunched ones it needs (added to {@code before})
     * read nothing the group computes.
     */
    private boolean available(String value, Set<String> groupValues, Set<Integer> before) {
      Integer node = producer.get(value);
      if (node == null || placed[node] || hoisted.contains(node) || before.contains(node)) {
        return true;
      }
      if (groupValues.contains(value)) {
        return false;
      }
      before.add(node);
      return nodes.get(node).inputs().stream()
          .allMatch(in -> in.isEmpty() || available(in, groupValues, before));
    }

    /** Whether the group's values that others read have its shape, and its code can be made. */
    private boolean valid(Node first, ProductSpace space, List<Dim> shape, List<Node> members) {
      List<String> stored = stored(first, space, members);
      if (stored.isEmpty()) {
        return false;
      }
      if (space == null
          && stored.stream()
              .anyMatch(v -> !Dims.product(context.shape(v)).equals(Dims.product(shape)))) {
        return false; // a smaller value another node reads is stored by a launch of its own
      }
      String anchorOutput = space == null ? null : first.outputs().getFirst();
      FusedCode.Addressing addressing =
          space == null
              ? (leaf, leafShape, readerShape) -> Optional.of(List.of())
              : (leaf, leafShape, readerShape) -> productStrides(space, leafShape, readerShape);
      Optional<FusedCode> code = FusedCode.of(anchorOutput, members, stored, context, addressing);
      if (code.isEmpty()) {
        return false;
      }
      if (space == null) {
        try {
          BroadcastGeometry.of(
              shape, code.get().leaves.stream().map(l -> context.shape(l.value())).toList());
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
      return true;
    }

    /**
     * The values of a group that a node outside it, or the graph's output, reads (a view's, as its
     * input's).
     */
    private List<String> stored(Node first, ProductSpace space, List<Node> members) {
      Set<Node> inGroup = new java.util.HashSet<>(members);
      inGroup.add(first);
      List<Node> computing = new ArrayList<>();
      if (space != null) {
        computing.add(first);
      }
      members.stream().filter(m -> !isView(m)).forEach(computing::add);
      Map<String, String> viewed = new HashMap<>(); // view output → the value it shows
      for (Node m : members) {
        if (isView(m)) {
          String input = m.inputs().getFirst();
          viewed.put(m.outputs().getFirst(), viewed.getOrDefault(input, input));
        }
      }
      Set<String> stored = new LinkedHashSet<>();
      for (Node n : computing) {
        if (readOutside(n.outputs().getFirst(), inGroup)) {
          stored.add(n.outputs().getFirst());
        }
      }
      viewed.forEach(
          (view, value) -> {
            if (readOutside(view, inGroup)) {
              stored.add(value);
            }
          });
      return List.copyOf(stored);
    }

    private boolean readOutside(String value, Set<Node> inGroup) {
      return graphOutputs.contains(value)
          || readers.getOrDefault(value, List.of()).stream()
              .anyMatch(r -> !inGroup.contains(nodes.get(r)));
    }

    /**
     * A node that only renames memory and keeps the elements' order (Reshape and the like), not a
     * KV cache's past.
     */
    private boolean isView(Node node) {
      return switch (node.opType()) {
        case "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity" ->
            node.outputs().size() == 1
                && context.cacheHolding(node.outputs().getFirst()).isEmpty()
                && !graph.constants().containsKey(node.inputs().getFirst());
        default -> false;
      };
    }
  }
}
