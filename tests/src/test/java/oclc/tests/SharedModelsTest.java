package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import oclc.compiler.LoadedModel;
import oclc.compiler.conformance.ConformanceRunner;
import oclc.ir.UnsupportedFeatureException;
import oclc.onnx.OnnxModelLoader;
import oclc.tests.support.ModelExpectations;
import oclc.tests.support.ModelExpectations.Aspect;
import oclc.tests.support.ModelKind;
import oclc.tests.support.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model folder of ../shared/models against the checked-in list of what it is and how it fares
 * ({@link ModelExpectations}): its kind, its import and every test set on the reference executor.
 * Those that pass on the reference (the GPT-2 exports and the Llama ones) are also held to a
 * relative L2 error of 1e-4 on every float output. The device and the Java backend: {@link
 * SharedModelsOnDeviceTest}, {@link SharedModelsOnJavaTest}.
 */
class SharedModelsTest {
  static Stream<Path> models() {
    return ModelExpectations.folders(SharedData.models()).stream();
  }

  static Stream<Path> modelsThatPassOnTheReference() {
    return ModelExpectations.foldersListedAsPassing(SharedData.models(), Aspect.REFERENCE).stream();
  }

  @Test
  void theFoldersAreFoundAndTheListNamesNoneThatIsGone() {
    assertFalse(
        ModelExpectations.folders(SharedData.models()).isEmpty(),
        "no model folder in " + SharedData.models());
    ModelExpectations.checkNoneIsGone(SharedData.models());
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyModelIsTheKindItsLineSays(Path model) {
    Optional<ModelKind> kind = ModelKind.detect(model);
    assertTrue(
        kind.isPresent(),
        model
            + " is like none of the kinds ModelKind knows (its graph inputs and "
            + "operator domains); add its kind there");
    // The CLI's tests pick the GPT-2 exports by their folder names.
    assertEquals(
        kind.get() == ModelKind.GPT2_EXPORT,
        model.getFileName().toString().startsWith("gpt2-"),
        model + " is " + kind.get().label() + ": the gpt2-* folders are exactly the GPT-2 exports");
    ModelExpectations.check(model, Aspect.KIND, kind.get().label());
  }

  @ParameterizedTest
  @MethodSource("models")
  void theImportHasTheListedOutcome(Path model) {
    String outcome;
    try {
      OnnxModelLoader.load(model.resolve("model.onnx"));
      outcome = ModelExpectations.PASS;
    } catch (UnsupportedFeatureException e) {
      outcome = ModelExpectations.UNSUPPORTED + ModelExpectations.shortForm(e.getMessage());
    } catch (RuntimeException e) {
      outcome = "fail: " + e;
    }
    ModelExpectations.check(model, Aspect.IMPORT, outcome);
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyTestSetOnTheReferenceHasTheListedOutcomeWithinTheBackendTestTolerance(Path model) {
    ConformanceRunner.Outcome outcome = new ConformanceRunner().run(model);
    ModelExpectations.check(model, Aspect.REFERENCE, ModelExpectations.outcome(outcome));
  }

  @ParameterizedTest
  @MethodSource("modelsThatPassOnTheReference")
  void everyFloatOutputOfTheReferenceIsWithinRelativeL2OfOneInTenThousand(Path model) {
    LoadedModel loaded = LoadedModel.load(model.resolve("model.onnx"));
    Reference.assertExpectedOutputs(model, loaded.simplified());
  }
}
