package oclc.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import oclc.artifact.Manifest.Condition;
import oclc.artifact.Manifest.Dispatch;
import oclc.artifact.Manifest.Variant;
import oclc.ir.Dim;
import oclc.ir.OclcException;
import org.junit.jupiter.api.Test;

/**
 * Schedules per device type, what validation refuses, and variants that two classes would give one
 * name.
 */
class ScheduleTest {
  @Test
  void eachDeviceTypeHasDefaultsOfItsOwnThatValidate() {
    Schedule cpu = Schedule.defaults(Schedule.Target.CPU).validated();
    Schedule gpu = Schedule.defaults(Schedule.Target.GPU).validated();
    assertEquals(Schedule.defaults(), cpu);
    assertEquals("cpu defaults", cpu.origin());
    assertEquals("gpu defaults", gpu.origin());
    assertNotEquals(cpu.withOrigin("x"), gpu.withOrigin("x"));
    // GPU work-groups of 64 work-items: 8 row tiles × 8 panels, 64 column groups.
    assertTrue(
        gpu.matmul().stream()
            .filter(c -> c.kernel().equals("gemm"))
            .allMatch(c -> c.group() * PackedWeights.PANEL_GROUP / c.panelsPerItem() == 64),
        gpu.toString());
    assertTrue(gpu.attention().stream().allMatch(c -> c.group() == 64), gpu.toString());
    assertEquals(Schedule.Target.GPU, Schedule.Target.parse("gpu"));
    assertThrows(OclcException.class, () -> Schedule.Target.parse("tpu"));
  }

  @Test
  void groupsTheKernelsCannotTakeAreRefused() {
    Schedule cpu = Schedule.defaults();
    var gemvWithGroup = cpu.withMatMul(0, new Schedule.MatMulClass("1", "gemv", 4, 1, 1, 8));
    assertTrue(
        assertThrows(OclcException.class, gemvWithGroup::validated)
            .getMessage()
            .contains("has no group"));
    var oddGroup = cpu.withAttention(0, new Schedule.AttentionClass("0..64", 1, 4, 48));
    assertTrue(
        assertThrows(OclcException.class, oddGroup::validated)
            .getMessage()
            .contains("power of two"));
  }

  @Test
  void neighbouringClassesWithOneKernelBecomeOneVariantAndOtherRepeatsGetTheirPosition() {
    Dim keys = Dim.symbol("keys");
    Dispatch d = new Dispatch("k", List.of(), List.of(keys), List.of(Dim.of(1)));
    Dispatch other = new Dispatch("k", List.of(), List.of(keys), List.of(Dim.of(2)));
    List<Variant> merged =
        VariantNames.distinct(
            List.of(
                new Variant("k", List.of(new Condition(keys, 0, 64)), List.of(d)),
                new Variant("k", List.of(new Condition(keys, 65, 128)), List.of(d))));
    assertEquals(
        List.of(new Variant("k", List.of(new Condition(keys, 0, 128)), List.of(d))), merged);
    // Two conditions (keys, then query rows): merged where only one differs and its ranges meet.
    Dim rows = Dim.symbol("rows");
    List<Variant> twoConditions =
        VariantNames.distinct(
            List.of(
                new Variant(
                    "k",
                    List.of(new Condition(keys, 0, 64), new Condition(rows, 0, 1)),
                    List.of(d)),
                new Variant(
                    "k",
                    List.of(new Condition(keys, 0, 64), new Condition(rows, 2, 128)),
                    List.of(d))));
    assertEquals(
        List.of(
            new Variant(
                "k", List.of(new Condition(keys, 0, 64), new Condition(rows, 0, 128)), List.of(d))),
        twoConditions);
    List<Variant> renamed =
        VariantNames.distinct(
            List.of(
                new Variant("k", List.of(new Condition(keys, 0, 64)), List.of(d)),
                new Variant("k", List.of(new Condition(keys, 65, 128)), List.of(other))));
    assertEquals(List.of("k", "k_1"), renamed.stream().map(Variant::name).toList());
  }
}
