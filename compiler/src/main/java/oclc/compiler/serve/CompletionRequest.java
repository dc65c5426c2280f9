package oclc.compiler.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import oclc.compiler.generate.Sampling;
import oclc.compiler.generate.StopStrings;

/**
 * A {@code POST /v1/completions} body: the prompt as text or token ids, and how to sample. Defaults
 * as OpenAI's: 16 tokens, temperature 1; {@code top_k} 0 keeps all.
 */
public record CompletionRequest(
    String promptText,
    List<Long> promptIds,
    int maxTokens,
    Sampling sampling,
    StopStrings stops,
    boolean stream) {

  /** The body parsed, or a 400 saying what is wrong. */
  public static CompletionRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new BadRequest(400, "the body must be a JSON object");
    }
    JsonNode prompt = body.path("prompt");
    String text = null;
    List<Long> ids = null;
    if (prompt.isTextual()) {
      text = prompt.asText();
    } else if (prompt.isArray() && !prompt.isEmpty()) {
      ids = new ArrayList<>();
      for (JsonNode id : prompt) {
        if (!id.isIntegralNumber()) {
          throw new BadRequest(400, "prompt: a list of token ids must hold integers only");
        }
        ids.add(id.asLong());
      }
    } else {
      throw new BadRequest(400, "prompt: give a string or a non-empty list of token ids");
    }
    int maxTokens = integer(body, "max_tokens", 16);
    if (maxTokens < 1) {
      throw new BadRequest(400, "max_tokens must be at least 1");
    }
    double temperature = number(body, "temperature", 1);
    double topP = number(body, "top_p", 1);
    int topK = integer(body, "top_k", 0);
    double penalty = number(body, "repetition_penalty", 1);
    long seed = body.has("seed") ? integer(body, "seed", 0) : System.nanoTime();
    Sampling sampling;
    try {
      sampling = new Sampling(temperature, topK, topP, penalty, seed);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, e.getMessage());
    }
    List<String> stops = new ArrayList<>();
    JsonNode stop = body.path("stop");
    if (stop.isTextual()) {
      stops.add(stop.asText());
    } else if (stop.isArray()) {
      for (JsonNode s : stop) {
        if (!s.isTextual() || s.asText().isEmpty()) {
          throw new BadRequest(400, "stop: strings, none empty");
        }
        stops.add(s.asText());
      }
    } else if (!stop.isMissingNode() && !stop.isNull()) {
      throw new BadRequest(400, "stop: a string or a list of strings");
    }
    if (stops.stream().anyMatch(String::isEmpty)) {
      throw new BadRequest(400, "stop: an empty string");
    }
    JsonNode stream = body.path("stream");
    if (!stream.isMissingNode() && !stream.isBoolean()) {
      throw new BadRequest(400, "stream must be true or false");
    }
    return new CompletionRequest(
        text, ids, maxTokens, sampling, new StopStrings(stops), stream.asBoolean(false));
  }

  private static int integer(JsonNode body, String field, int fallback) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new BadRequest(400, field + " must be an integer");
    }
    return value.asInt();
  }

  private static double number(JsonNode body, String field, double fallback) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new BadRequest(400, field + " must be a number");
    }
    return value.asDouble();
  }
}
