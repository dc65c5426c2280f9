package oclc.compiler.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Top-p, the repetition penalty and stop strings on fixed logits and seeds. */
class SamplingTest {
  // probabilities at temperature 1: about 0.64, 0.24, 0.09, 0.03
  private static final float[] LOGITS = {3, 2, 1, 0};

  private static Set<Integer> drawn(Sampling sampling, int draws) {
    TokenChooser chooser = new TokenChooser(sampling);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < draws; i++) {
      seen.add(chooser.choose(LOGITS));
    }
    return seen;
  }

  @Test
  void topPKeepsTheFewestTokensThatReachIt() {
    assertEquals(Set.of(0), drawn(new Sampling(1, 0, 0.5, 1, 7), 200), "0.64 alone reaches 0.5");
    assertEquals(Set.of(0, 1), drawn(new Sampling(1, 0, 0.8, 1, 7), 200), "0.64 + 0.24");
    assertEquals(Set.of(0, 1, 2, 3), drawn(new Sampling(1, 0, 1, 1, 7), 400), "all");
  }

  @Test
  void theSameSeedDrawsTheSameTokens() {
    Sampling sampling = new Sampling(0.9, 3, 0.95, 1, 42);
    TokenChooser a = new TokenChooser(sampling);
    TokenChooser b = new TokenChooser(sampling);
    for (int i = 0; i < 50; i++) {
      assertEquals(a.choose(LOGITS), b.choose(LOGITS));
    }
  }

  @Test
  void theRepetitionPenaltyTurnsGreedyAwayFromTokensSeen() {
    float[] logits = {2.0f, 1.9f, -1, -1.05f};
    assertEquals(0, TokenChooser.greedy().choose(logits));
    TokenChooser penalized =
        new TokenChooser(new Sampling(0, 0, 1, 1.2, 0)).remember(new long[] {0});
    assertEquals(1, penalized.choose(logits), "2.0 / 1.2 < 1.9");
    // 0 and 1 seen now: 2/1.2=1.67 beats 1.9/1.2=1.58
    assertEquals(0, penalized.choose(logits));
    // a negative logit is multiplied: -1 * 1.2 = -1.2 < -1.05
    float[] negative = {-1, -1.05f};
    TokenChooser seenFirst =
        new TokenChooser(new Sampling(0, 0, 1, 1.2, 0)).remember(new long[] {0});
    assertEquals(1, seenFirst.choose(negative));
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 1.5, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(-1, 0, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(Double.NaN, 0, 1, 1, 0));
  }

  @Test
  void stopStringsCutAtTheFirstAndHoldBackWhatMayBeginOne() {
    StopStrings stops = new StopStrings(List.of("\n\n", "END"));
    assertEquals(-1, stops.cut("hello world"));
    assertEquals(5, stops.cut("hello\n\nEND"));
    assertEquals(2, stops.cut("abEND\n\n"));
    assertEquals(2, stops.pendingSuffix("abcEN"));
    assertEquals(1, stops.pendingSuffix("abc\n"));
    assertEquals(0, stops.pendingSuffix("abc"));
    assertTrue(StopStrings.none().cut("anything") < 0);
    assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("")));
  }

  @Test
  void generationEndsWhereTheTokenCallbackSaysStop() {
    Generator.Stepper stepper =
        new Generator.Stepper() {
          int steps;

          @Override
          public float[] step(long[] newTokens) {
            steps++;
            float[] logits = new float[10];
            logits[steps % 10] = 1;
            return logits;
          }

          @Override
          public String mode() {
            return "counting";
          }
        };
    Generator.Result result =
        Generator.generateWhile(
            stepper, new long[] {0}, 8, TokenChooser.greedy(), Set.of(), token -> token != 3);
    assertEquals(List.of(1L, 2L, 3L), result.tokens());
  }
}
