package oclc.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.passes.Passes;
import oclc.onnx.OnnxModelLoader;

/** A model as read from its file and after the standard passes. */
public record LoadedModel(Path file, Graph imported, Graph simplified) {

  public static LoadedModel load(Path file) {
    return load(file, Passes.STANDARD.getLast().name());
  }

  /**
   * Loads and runs the standard passes up to and including {@code lastPass} ("import" for none).
   */
  public static LoadedModel load(Path file, String lastPass) {
    if (Files.isDirectory(file) && Files.exists(file.resolve("model.onnx"))) {
      file = file.resolve("model.onnx");
    }
    Graph imported = OnnxModelLoader.load(file);
    try {
      return new LoadedModel(file, imported, Passes.runUpTo(imported, lastPass));
    } catch (OclcException e) {
      throw rethrowWithFile(file, e);
    }
  }

  private static OclcException rethrowWithFile(Path file, OclcException e) {
    String message = file + ": " + e.getMessage();
    if (e instanceof oclc.ir.UnsupportedFeatureException) {
      return new oclc.ir.UnsupportedFeatureException(message);
    }
    return new OclcException(message, e);
  }
}
