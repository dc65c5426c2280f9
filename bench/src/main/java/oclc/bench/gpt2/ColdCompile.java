package oclc.bench.gpt2;

import java.nio.file.Path;
import oclc.compiler.CompileOptions;
import oclc.compiler.CompileResult;
import oclc.compiler.Compiler;
import oclc.lowering.SizeRanges;

/**
 * A process that compiles a model and exits, as {@code oclc compile} does (the JVM start cache
 * trained where the environment names the run's flags): what the cold-compile figure times from
 * outside. {@code ColdCompile MODEL DEVICE ARTIFACT CACHE_DIR [NAME=MIN..MAX ...]}; it prints the
 * compile's summary.
 */
public final class ColdCompile {
  private ColdCompile() {}

  public static void main(String[] args) {
    CompileOptions options =
        CompileOptions.defaults()
            .withDevice(args[1])
            .withOut(Path.of(args[2]))
            .withCacheDirectory(Path.of(args[3]))
            .withTrainStartCache(true);
    for (int i = 4; i < args.length; i++) {
      int equals = args[i].indexOf('=');
      SizeRanges.Interval range = SizeRanges.Interval.parse(args[i].substring(equals + 1));
      options = options.withDim(args[i].substring(0, equals), range.min(), range.max());
    }
    CompileResult result = Compiler.compile(Path.of(args[0]), options);
    System.out.println(result);
  }
}
