package oclc.ir.ops;

import java.util.List;
import oclc.ir.Dim;
import oclc.ir.InferenceContext;
import oclc.ir.Shape;
import oclc.ir.TensorType;

/**
 * GatherND: each row of the last axis of {@code indices} addresses a slice of {@code data}; the
 * first {@code batch_dims} axes of both are matched one to one rather than indexed.
 */
final class GatherNdOp extends MovementOp {
  @Override
  public String opType() {
    return "GatherND";
  }

  @Override
  public List<TensorType> inferTypes(InferenceContext context) {
    Shape data = context.inputShape(0);
    Shape indices = context.inputShape(1);
    int batchDims = (int) context.attributes().getInt("batch_dims", 0);
    if (indices.rank() < 1 || indices.rank() <= batchDims || data.rank() <= batchDims) {
      throw context.error(
          "batch_dims "
              + batchDims
              + " needs data "
              + data
              + " and indices "
              + indices
              + " of higher rank");
    }
    Dim last = indices.dim(indices.rank() - 1);
    if (!last.isConstant() || last.constant() > data.rank() - batchDims) {
      throw context.error(
          "the last dim of indices "
              + indices
              + " must be a constant of at most "
              + (data.rank() - batchDims)
              + " for data "
              + data);
    }
    List<Dim> tuples = indices.dims().subList(batchDims, indices.rank() - 1);
    Shape out = gatheredShape(data, batchDims, tuples, batchDims + (int) last.constant());
    return List.of(new TensorType(context.inputDType(0), out));
  }

  @Override
  ElementSources sources(Arguments arguments) {
    long[] data = arguments.shape(0);
    long[] indicesShape = arguments.shape(1);
    long[] indices = arguments.values(1).orElseThrow();
    int batchDims = (int) arguments.attributes().getInt("batch_dims", 0);
    int depth = (int) indicesShape[indicesShape.length - 1];
    long batches = Indexing.product(data, 0, batchDims);
    long tuples = Indexing.product(indicesShape, batchDims, indicesShape.length - 1);
    long sliceSize = Indexing.product(data, batchDims + depth, data.length);
    long batchSize = Indexing.product(data, batchDims, data.length);
    long[] dataStrides = Indexing.strides(data);

    long[] out =
        new long
            [batchDims + (indicesShape.length - 1 - batchDims) + (data.length - batchDims - depth)];
    int o = 0;
    for (int i = 0; i < batchDims; i++) {
      out[o++] = data[i];
    }
    for (int i = batchDims; i < indicesShape.length - 1; i++) {
      out[o++] = indicesShape[i];
    }
    for (int i = batchDims + depth; i < data.length; i++) {
      out[o++] = data[i];
    }

    int[] index = new int[Indexing.size(out)];
    for (long batch = 0; batch < batches; batch++) {
      for (long tuple = 0; tuple < tuples; tuple++) {
        long row = batch * tuples + tuple;
        long start = batch * batchSize;
        for (int k = 0; k < depth; k++) {
          long size = data[batchDims + k];
          long position = position(indices[(int) (row * depth + k)], size);
          start += position * dataStrides[batchDims + k];
        }
        for (long s = 0; s < sliceSize; s++) {
          index[(int) (row * sliceSize + s)] = (int) (start + s);
        }
      }
    }
    return ElementSources.ofSingleInput(out, index);
  }
}
