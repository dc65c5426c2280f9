package oclc.ir;

import java.util.Arrays;
import java.util.List;

/** A node attribute, one record per ONNX attribute kind. */
public sealed interface Attribute {

  record FloatValue(float value) implements Attribute {}

  record IntValue(long value) implements Attribute {}

  record StringValue(String value) implements Attribute {}

  record TensorValue(Tensor value) implements Attribute {}

  /** A subgraph (If, Loop, Scan bodies); kept so that such models load and can be reported. */
  record GraphValue(Graph value) implements Attribute {}

  record TypeValue(TensorType value) implements Attribute {}

  record Floats(float[] values) implements Attribute {
    public Floats {
      values = values.clone();
    }

    @Override
    public float[] values() {
      return values.clone();
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  record Ints(long[] values) implements Attribute {
    public Ints {
      values = values.clone();
    }

    @Override
    public long[] values() {
      return values.clone();
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  record Strings(List<String> values) implements Attribute {
    public Strings {
      values = List.copyOf(values);
    }
  }

  record Tensors(List<Tensor> values) implements Attribute {
    public Tensors {
      values = List.copyOf(values);
    }
  }

  record Graphs(List<Graph> values) implements Attribute {
    public Graphs {
      values = List.copyOf(values);
    }
  }

  record TypeValues(List<TensorType> values) implements Attribute {
    public TypeValues {
      values = List.copyOf(values);
    }
  }
}
