package oclc.compiler.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oclc.ir.OclcException;

/**
 * The names a decoder's inputs and outputs go by: those ONNX Runtime GenAI's {@code
 * genai_config.json} declares ({@code model.decoder.inputs} and {@code outputs}: {@code input_ids},
 * {@code attention_mask}, {@code position_ids}, {@code logits}, and the state patterns {@code
 * past_names → present_names}, {@code past_key_names → present_key_names}, {@code past_value_names
 * → present_value_names}, {@code %d} standing for the layer), else Hugging Face's.
 *
 * @param states each past pattern with its present pattern
 */
public record DecoderNames(
    String ids,
    String attentionMask,
    String positionIds,
    String logits,
    List<StatePattern> states) {
  public static final DecoderNames HUGGING_FACE =
      new DecoderNames("input_ids", "attention_mask", "position_ids", "logits", List.of());

  private static final String FILE = "genai_config.json";

  public DecoderNames {
    states = List.copyOf(states);
  }

  /** A past input's pattern and the present output's, {@code %d} the layer. */
  public record StatePattern(String past, String present) {
    /** The present output of {@code pastName}, when the name fits the past pattern. */
    Optional<String> presentOf(String pastName) {
      String[] parts = past.split("%d", -1);
      if (parts.length != 2) {
        return past.equals(pastName) ? Optional.of(present) : Optional.empty();
      }
      Matcher m =
          Pattern.compile(Pattern.quote(parts[0]) + "(\\d+)" + Pattern.quote(parts[1]))
              .matcher(pastName);
      return m.matches() ? Optional.of(present.replace("%d", m.group(1))) : Optional.empty();
    }
  }

  /** The present output of a past input as the patterns pair them, when one fits. */
  public Optional<String> presentOf(String past, List<String> outputs) {
    return states.stream()
        .map(p -> p.presentOf(past))
        .flatMap(Optional::stream)
        .filter(outputs::contains)
        .findFirst();
  }

  /** The names from the first of the folders with a genai_config.json; else Hugging Face's. */
  public static DecoderNames find(List<Path> folders) {
    for (Path folder : folders) {
      Path file = folder.resolve(FILE);
      if (Files.isRegularFile(file)) {
        return read(file);
      }
    }
    return HUGGING_FACE;
  }

  /** A genai_config.json's names, Hugging Face's where it names none. */
  public static DecoderNames read(Path file) {
    JsonNode decoder;
    try {
      decoder = new ObjectMapper().readTree(file.toFile()).path("model").path("decoder");
    } catch (IOException e) {
      throw new OclcException("cannot read " + file + ": " + e.getMessage(), e);
    }
    JsonNode inputs = decoder.path("inputs");
    JsonNode outputs = decoder.path("outputs");
    List<StatePattern> states = new ArrayList<>();
    for (String kind : List.of("", "key_", "value_")) {
      String past = inputs.path("past_" + kind + "names").asText("");
      String present = outputs.path("present_" + kind + "names").asText("");
      if (past.isEmpty() != present.isEmpty()) {
        throw new OclcException(
            file + ": past_" + kind + "names and present_" + kind + "names come together");
      }
      if (!past.isEmpty()) {
        states.add(new StatePattern(past, present));
      }
    }
    return new DecoderNames(
        inputs.path("input_ids").asText(HUGGING_FACE.ids()),
        inputs.path("attention_mask").asText(HUGGING_FACE.attentionMask()),
        inputs.path("position_ids").asText(HUGGING_FACE.positionIds()),
        outputs.path("logits").asText(HUGGING_FACE.logits()),
        states);
  }
}
