package oclc.templates;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.stringtemplate.v4.ModelAdaptor;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STErrorListener;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;
import org.stringtemplate.v4.misc.STMessage;
import org.stringtemplate.v4.misc.STNoSuchPropertyException;

/**
 * The StringTemplate groups that spell OpenCL C, one per kernel family, loaded from this module's
 * resources. StringTemplate fails quietly by default (a missing attribute prints as nothing); here
 * every error throws, and a template rendered without all its arguments is an error too.
 */
public final class KernelTemplates {
  private static final Map<String, STGroup> GROUPS = new ConcurrentHashMap<>();

  private KernelTemplates() {}

  /**
   * Renders {@code template} of the group {@code family} (file {@code family.stg}) with {@code
   * arguments}.
   */
  public static String render(String family, String template, Map<String, ?> arguments) {
    STGroup group = GROUPS.computeIfAbsent(family, KernelTemplates::load);
    ST st = group.getInstanceOf(template);
    if (st == null) {
      throw new TemplateException("no template '" + template + "' in " + family + ".stg");
    }
    Set<String> declared =
        st.impl.formalArguments == null
            ? Set.of()
            : new TreeSet<>(st.impl.formalArguments.keySet());
    Set<String> given = new TreeSet<>(arguments.keySet());
    if (!declared.equals(given)) {
      throw new TemplateException(
          family + ".stg " + template + " declares " + declared + " but was given " + given);
    }
    arguments.forEach(st::add);
    return st.render();
  }

  /** The keys of a dictionary of a group, e.g. the ops an elementwise template can spell. */
  public static Set<String> dictionaryKeys(String family, String dictionary) {
    STGroup group = GROUPS.computeIfAbsent(family, KernelTemplates::load);
    Map<String, Object> dict = group.rawGetDictionary(dictionary);
    if (dict == null) {
      throw new TemplateException("no dictionary '" + dictionary + "' in " + family + ".stg");
    }
    return new TreeSet<>(dict.keySet());
  }

  private static STGroup load(String family) {
    var url = KernelTemplates.class.getResource(family + ".stg");
    if (url == null) {
      throw new TemplateException("no template group " + family + ".stg");
    }
    STGroupFile group = new STGroupFile(url, "UTF-8", '<', '>');
    group.setListener(THROWING);
    group.registerModelAdaptor(Record.class, RECORDS);
    group.load();
    return group;
  }

  /** Lets templates read the components of Java records, which StringTemplate's getters miss. */
  private static final ModelAdaptor<Record> RECORDS =
      (interpreter, self, model, property, name) -> {
        for (RecordComponent component : model.getClass().getRecordComponents()) {
          if (component.getName().equals(name)) {
            try {
              return component.getAccessor().invoke(model);
            } catch (ReflectiveOperationException e) {
              throw new TemplateException("cannot read " + name + " of " + model + ": " + e);
            }
          }
        }
        throw new STNoSuchPropertyException(null, model, name);
      };

  /** Turns every StringTemplate complaint into an exception that names it. */
  private static final STErrorListener THROWING =
      new STErrorListener() {
        @Override
        public void compileTimeError(STMessage msg) {
          throw new TemplateException("template compile error: " + msg);
        }

        @Override
        public void runTimeError(STMessage msg) {
          throw new TemplateException("template run-time error: " + msg);
        }

        @Override
        public void IOError(STMessage msg) {
          throw new TemplateException("template I/O error: " + msg);
        }

        @Override
        public void internalError(STMessage msg) {
          throw new TemplateException("template internal error: " + msg);
        }
      };

  /** A template is missing, malformed, or rendered with the wrong arguments. */
  public static final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
      super(message);
    }
  }
}
