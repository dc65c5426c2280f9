package oclc.compiler.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import oclc.compiler.generate.StopStrings;
import oclc.compiler.generate.TokenChooser;
import oclc.compiler.generate.tokenizer.TextStream;

/**
 * One request as the decoder works on it: its prompt ids, its own chooser (seed, penalty) and stop
 * strings, and the events it hands the HTTP thread that answers it (one per token, then the end).
 */
final class Completion {
  /** A token and the text it adds (empty while a stop string may be beginning), or the end. */
  record Event(long token, String text, String finishReason, String error) {
    boolean last() {
      return finishReason != null || error != null;
    }
  }

  final long[] prompt;
  final int maxTokens;
  final TokenChooser chooser;
  final StopStrings stops;
  final TextStream text;
  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final List<Long> tokens = new ArrayList<>();
  final long queuedAt = System.nanoTime();
  private final StringBuilder whole = new StringBuilder();
  private int sent;
  volatile boolean cancelled;
  boolean done;

  Completion(
      long[] prompt, int maxTokens, TokenChooser chooser, StopStrings stops, TextStream text) {
    this.prompt = prompt;
    this.maxTokens = maxTokens;
    this.chooser = chooser.remember(prompt);
    this.stops = stops;
    this.text = text;
  }

  /** Takes the chosen token; true when this completion is done after it. */
  boolean accept(long token, boolean endOfSequence) {
    tokens.add(token);
    String piece = "";
    String finish = null;
    if (endOfSequence) {
      finish = "stop";
    }
    if (text != null && !endOfSequence) {
      whole.append(text.add(token));
      int cut = stops.cut(whole.toString());
      int end = cut >= 0 ? cut : whole.length() - stops.pendingSuffix(whole.toString());
      if (end > sent) {
        piece = whole.substring(sent, end);
        sent = end;
      }
      if (cut >= 0) {
        finish = "stop";
      }
    }
    if (finish == null && tokens.size() >= maxTokens) {
      finish = "length";
      if (text != null) {
        piece += whole.substring(sent) + text.finish();
      }
    }
    events.add(new Event(token, piece, null, null));
    if (finish != null) {
      events.add(new Event(-1, "", finish, null));
      done = true;
    }
    return done;
  }

  void fail(String message) {
    if (!done) {
      done = true;
      events.add(new Event(-1, "", null, message));
    }
  }
}
