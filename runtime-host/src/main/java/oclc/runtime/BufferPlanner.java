package oclc.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import oclc.artifact.Manifest.NodeLaunches;

/**
 * Assigns values to shared memory slots by liveness: a value lives from the launch that writes it
 * to the last launch that reads it, and values whose lifetimes do not overlap may share a slot
 * (greedy, best fit first, as TVM's storage rewrite does). Pure arithmetic, no OpenCL: both
 * backends' sessions use it.
 */
public final class BufferPlanner {
  private BufferPlanner() {}

  /**
   * A value to place: its size and the launches (by index) that write it first and read it last.
   */
  public record Lifetime(long bytes, int first, int last) {}

  /** Per value its slot, and per slot its size in bytes. */
  public record Assignment(int[] slotOfValue, long[] slotBytes) {}

  /**
   * The slots for values of these sizes ({@code bytes[v]} for {@code values.get(v)}, each live as
   * {@code lifetimes} says): {@code current} itself while every value fits the slot it gives it
   * ({@code slotCapacity}: a slot's bytes now), so that the memory kernels name changes only now
   * and then (lifetimes are the graph's, so a kept assignment stays valid); else a new assignment,
   * a slot of its own per value when {@code separate}. A null {@code current} always gives a new
   * one.
   */
  public static Assignment keepOrAssign(
      Assignment current,
      long[] bytes,
      IntToLongFunction slotCapacity,
      List<String> values,
      Map<String, int[]> lifetimes,
      boolean separate) {
    if (current != null && fits(current, bytes, slotCapacity)) {
      return current;
    }
    List<Lifetime> lives = new ArrayList<>();
    for (int v = 0; v < bytes.length; v++) {
      int[] life = lifetimes.get(values.get(v));
      lives.add(new Lifetime(bytes[v], life[0], life[1]));
    }
    return separate ? separate(lives) : assign(lives);
  }

  private static boolean fits(Assignment assignment, long[] bytes, IntToLongFunction slotCapacity) {
    int[] slotOf = assignment.slotOfValue();
    for (int v = 0; v < bytes.length; v++) {
      if (bytes[v] > slotCapacity.applyAsLong(slotOf[v])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Root value → {launch that writes it first, launch that reads it last}, in the order values are
   * first written: for the values {@code computed} accepts (by their root, {@code root} following
   * views); the {@code outputs} of the graph live to the end.
   */
  public static Map<String, int[]> lifetimes(
      List<NodeLaunches> nodes,
      UnaryOperator<String> root,
      Predicate<String> computed,
      Collection<String> outputs) {
    Map<String, int[]> lifetimes = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String input : nodes.get(i).inputs()) {
        int[] life = input.isEmpty() ? null : lifetimes.get(root.apply(input));
        if (life != null) {
          life[1] = Math.max(life[1], i);
        }
      }
      for (String output : nodes.get(i).outputs()) {
        String value = output.isEmpty() ? null : root.apply(output);
        if (value != null && computed.test(value)) {
          int[] life = lifetimes.computeIfAbsent(value, r -> new int[] {nodes.size(), -1});
          life[0] = Math.min(life[0], i);
          life[1] = Math.max(life[1], i);
        }
      }
    }
    for (String output : outputs) {
      int[] life = lifetimes.get(root.apply(output));
      if (life != null) {
        life[1] = nodes.size();
      }
    }
    return lifetimes;
  }

  /** Values must come in the order they are first written. */
  public static Assignment assign(List<Lifetime> values) {
    int[] slotOf = new int[values.size()];
    List<Long> slotBytes = new ArrayList<>();
    List<Integer> busyUntil = new ArrayList<>();
    TreeMap<Long, List<Integer>> free = new TreeMap<>(); // bytes → free slots of that size
    for (int v = 0; v < values.size(); v++) {
      Lifetime life = values.get(v);
      for (int s = 0; s < busyUntil.size(); s++) {
        if (busyUntil.get(s) >= 0 && busyUntil.get(s) < life.first()) {
          free.computeIfAbsent(slotBytes.get(s), b -> new ArrayList<>()).add(s);
          busyUntil.set(s, -1);
        }
      }
      Integer slot = take(free, free.ceilingKey(life.bytes()));
      if (slot == null && !free.isEmpty()) {
        slot = take(free, free.lastKey()); // the largest free slot, grown to fit
        slotBytes.set(slot, life.bytes());
      }
      if (slot == null) {
        slot = slotBytes.size();
        slotBytes.add(life.bytes());
        busyUntil.add(-1);
      }
      busyUntil.set(slot, life.last());
      slotOf[v] = slot;
    }
    return new Assignment(slotOf, slotBytes.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * Every value in a slot of its own: nothing is reused, so every value stays readable (debugging).
   */
  public static Assignment separate(List<Lifetime> values) {
    int[] slotOf = new int[values.size()];
    long[] bytes = new long[values.size()];
    for (int v = 0; v < values.size(); v++) {
      slotOf[v] = v;
      bytes[v] = values.get(v).bytes();
    }
    return new Assignment(slotOf, bytes);
  }

  private static Integer take(TreeMap<Long, List<Integer>> free, Long bytes) {
    if (bytes == null) {
      return null;
    }
    List<Integer> slots = free.get(bytes);
    Integer slot = slots.removeLast();
    if (slots.isEmpty()) {
      free.remove(bytes);
    }
    return slot;
  }
}
