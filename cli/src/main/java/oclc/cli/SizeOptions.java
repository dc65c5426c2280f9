package oclc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oclc.compiler.Specs;
import oclc.ir.OclcException;
import oclc.lowering.SizeRanges;
import picocli.CommandLine.Option;

/**
 * {@code --dim} and {@code --buckets} of the commands that compile a model ({@code compile}, {@code
 * tune}).
 */
final class SizeOptions {
  @Option(
      names = "--dim",
      paramLabel = "NAME=MIN..MAX",
      description =
          "the sizes a symbol takes, e.g. --dim batch_size=1..4 (default: what the model bounds,"
              + " else a batch 1..1, a cache length 0..2047, a sequence 1..2048, each with a"
              + " notice; a symbol the model makes equal to others takes their range)")
  List<String> dims = new ArrayList<>();

  @Option(
      names = "--buckets",
      paramLabel = "NAME=CUTS",
      description =
          "where a symbol's variants change, e.g. --buckets sequence_length=1,2..16,17.. "
              + "(default: each kernel family's own cut)")
  List<String> buckets = new ArrayList<>();

  Map<String, SizeRanges.Interval> dimRanges() {
    try {
      return Specs.dimRanges(dims);
    } catch (OclcException e) {
      throw new OclcException("--dim " + e.getMessage(), e);
    }
  }

  Map<String, List<SizeRanges.Interval>> bucketCuts() {
    try {
      return Specs.bucketCuts(buckets);
    } catch (OclcException e) {
      throw new OclcException("--buckets " + e.getMessage(), e);
    }
  }
}
