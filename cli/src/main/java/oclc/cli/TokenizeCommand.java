package oclc.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import oclc.compiler.generate.tokenizer.Tokenizer;
import oclc.ir.OclcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oclc tokenize}: a text's token ids, or the text of token ids. */
@Command(
    name = "tokenize",
    description = "Print a text's token ids (comma-separated), or decode ids back to text.")
final class TokenizeCommand extends PrintingCommand {
  @Mixin TokenizerOption.Required tokenizer;

  @Option(names = "--text", paramLabel = "TEXT", description = "the text to encode")
  String text;

  @Option(
      names = "--ids",
      split = ",",
      paramLabel = "ID,ID,...",
      description = "token ids to decode")
  long[] ids;

  @Override
  int run(PrintWriter out, PrintWriter err) {
    if ((text == null) == (ids == null)) {
      throw new OclcException("give one of --text TEXT (to encode) or --ids ID,ID,... (to decode)");
    }
    Tokenizer loaded = tokenizer.load();
    if (text != null) {
      out.println(String.join(",", loaded.encode(text).stream().map(String::valueOf).toList()));
    } else {
      out.println(loaded.decode(Arrays.stream(ids).boxed().toList()));
    }
    return 0;
  }
}
