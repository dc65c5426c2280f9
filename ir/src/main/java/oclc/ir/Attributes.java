package oclc.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A node's attributes by name, with typed getters that state the default in the call. */
public record Attributes(Map<String, Attribute> byName) {

  public static final Attributes NONE = new Attributes(Map.of());

  public Attributes {
    byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public Optional<Attribute> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public long getInt(String name, long defaultValue) {
    return has(name) ? getInt(name) : defaultValue;
  }

  public long getInt(String name) {
    return as(name, Attribute.IntValue.class).value();
  }

  public float getFloat(String name, float defaultValue) {
    if (!has(name)) {
      return defaultValue;
    }
    return as(name, Attribute.FloatValue.class).value();
  }

  public String getString(String name, String defaultValue) {
    return has(name) ? getString(name) : defaultValue;
  }

  public String getString(String name) {
    return as(name, Attribute.StringValue.class).value();
  }

  public long[] getInts(String name, long[] defaultValue) {
    return has(name) ? getInts(name) : defaultValue;
  }

  public long[] getInts(String name) {
    return as(name, Attribute.Ints.class).values();
  }

  public float[] getFloats(String name, float[] defaultValue) {
    return has(name) ? as(name, Attribute.Floats.class).values() : defaultValue;
  }

  public Tensor getTensor(String name) {
    return as(name, Attribute.TensorValue.class).value();
  }

  public Attributes with(String name, Attribute value) {
    Map<String, Attribute> copy = new LinkedHashMap<>(byName);
    copy.put(name, value);
    return new Attributes(copy);
  }

  private <T extends Attribute> T as(String name, Class<T> kind) {
    Attribute a = byName.get(name);
    if (a == null) {
      throw new IllegalArgumentException("missing required attribute '" + name + "'");
    }
    if (!kind.isInstance(a)) {
      throw new IllegalArgumentException(
          "attribute '"
              + name
              + "' is a "
              + a.getClass().getSimpleName()
              + ", expected "
              + kind.getSimpleName());
    }
    return kind.cast(a);
  }
}
