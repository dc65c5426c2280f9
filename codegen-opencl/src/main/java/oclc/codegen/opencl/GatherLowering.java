package oclc.codegen.opencl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import oclc.artifact.Manifest.Argument;
import oclc.artifact.Manifest.Variant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Node;
import oclc.ir.ops.Axes;
import oclc.lowering.Dims;
import oclc.lowering.StridedAxes;

/**
 * Gather, GatherElements and GatherND. Rows of a table by int64 index (axis 0: embedding lookups)
 * take the row kernel; every other gather is one strided {@code gatherAxis} dispatch whose geometry
 * has a stride table for the data, the indices and the output.
 */
public final class GatherLowering {
  private GatherLowering() {}

  /** What the indices pick: blocks along an axis, single elements, or index tuples. */
  private enum Picks {
    BLOCKS,
    ELEMENTS,
    TUPLES
  }

  public static final OpenClFamily FAMILY =
      OpenClFamily.builder()
          .op("Gather", (node, context) -> lower(node, context, Picks.BLOCKS))
          .op("GatherElements", (node, context) -> lower(node, context, Picks.ELEMENTS))
          .op("GatherND", (node, context) -> lower(node, context, Picks.TUPLES))
          .build();

  private static List<Variant> lower(Node node, LoweringContext context, Picks picks) {
    String data = node.inputs().get(0);
    String indices = node.inputs().get(1);
    String output = node.outputs().get(0);
    List<Dim> dataShape = context.shape(data);
    if (dataShape.isEmpty()) {
      throw new NotLowerableException("gathers need data of rank 1 or more");
    }
    if (picks == Picks.TUPLES) {
      return nd(node, context, data, indices, output, dataShape);
    }
    int axis = Axes.normalize(node.attributes().getInt("axis", 0), dataShape.size());
    DType indexType = context.dtype(indices);
    boolean elements = picks == Picks.ELEMENTS;
    if (!elements && axis == 0 && indexType == DType.INT64) {
      return rows(context, data, indices, output, dataShape);
    }
    List<Dim> indexShape = context.shape(indices);
    List<Dim> dataStrides = Dims.rowMajorStrides(dataShape);
    List<Dim> outStrides = Dims.rowMajorStrides(context.shape(output));
    StridedAxes axes =
        elements
            ? elementAxes(dataStrides, indexShape, outStrides, axis)
            : axisAxes(dataShape, dataStrides, indexShape, outStrides, axis);
    axes = axes.padded(4);
    KernelSource kernel = GatherKernels.axis(context.dtype(data), indexType);
    List<Argument> arguments = buffers(context, data, indices, output);
    arguments.addAll(
        List.of(
            Scalars.of(dataShape.get(axis)),
            Scalars.of(dataStrides.get(axis)),
            Scalars.of(axes.extents().get(0))));
    for (int table = 0; table < 3; table++) {
      arguments.addAll(Scalars.ints(axes.strides(table)));
    }
    List<Dim> e = axes.extents();
    return NodeLowering.single(
        context.dispatch(kernel, arguments, List.of(e.get(3), e.get(2), e.get(1))));
  }

  private static List<Variant> rows(
      LoweringContext context, String table, String indices, String output, List<Dim> tableShape) {
    Dim rowLength = Dims.product(tableShape.subList(1, tableShape.size()));
    Dim count = Dims.product(context.shape(indices));
    KernelSource kernel = GatherKernels.rows(context.dtype(table));
    return NodeLowering.single(
        context.dispatch(
            kernel,
            List.of(
                context.read(table),
                context.read(indices),
                context.write(output),
                Scalars.of(tableShape.get(0)),
                Scalars.of(rowLength)),
            GatherKernels.globalSize(rowLength, count)));
  }

  /** GatherND: the output seen as [batches, tuples, slice], one work-item per element. */
  private static List<Variant> nd(
      Node node,
      LoweringContext context,
      String data,
      String indices,
      String output,
      List<Dim> dataShape) {
    int batchDims = (int) node.attributes().getInt("batch_dims", 0);
    List<Dim> indexShape = context.shape(indices);
    Dim last = indexShape.getLast();
    if (!last.isConstant() || batchDims + last.constant() > dataShape.size()) {
      throw new NotLowerableException("GatherND needs index tuples of a known length");
    }
    int depth = (int) last.constant();
    List<Dim> strides = Dims.rowMajorStrides(dataShape);
    Dim batches = Dims.product(dataShape.subList(0, batchDims));
    Dim tuples = Dims.product(indexShape.subList(batchDims, indexShape.size() - 1));
    Dim slice = Dims.product(dataShape.subList(batchDims + depth, dataShape.size()));
    Dim batchSize = Dims.product(dataShape.subList(batchDims, dataShape.size()));
    KernelSource kernel = GatherKernels.nd(context.dtype(data), context.dtype(indices), depth);
    List<Argument> arguments = buffers(context, data, indices, output);
    arguments.addAll(List.of(Scalars.of(tuples), Scalars.of(slice), Scalars.of(batchSize)));
    for (int k = 0; k < depth; k++) {
      arguments.add(Scalars.of(dataShape.get(batchDims + k)));
      arguments.add(Scalars.of(strides.get(batchDims + k)));
    }
    return NodeLowering.single(
        context.dispatch(kernel, arguments, List.of(slice, tuples, batches)));
  }

  /**
   * Gather: the output [data before axis, indices, data after axis], the data seen as [outer, axis,
   * inner].
   */
  private static StridedAxes axisAxes(
      List<Dim> dataShape,
      List<Dim> dataStrides,
      List<Dim> indexShape,
      List<Dim> outStrides,
      int axis) {
    List<Dim> extents = new ArrayList<>(dataShape.subList(0, axis));
    extents.addAll(indexShape);
    extents.addAll(dataShape.subList(axis + 1, dataShape.size()));
    List<Dim> zerosBefore = Collections.nCopies(axis, Dim.of(0));
    List<Dim> zerosAfter = Collections.nCopies(dataShape.size() - axis - 1, Dim.of(0));
    List<Dim> zerosForIndices = Collections.nCopies(indexShape.size(), Dim.of(0));
    List<Dim> data = new ArrayList<>(dataStrides.subList(0, axis));
    data.addAll(zerosForIndices);
    data.addAll(dataStrides.subList(axis + 1, dataStrides.size()));
    List<Dim> index = new ArrayList<>(zerosBefore);
    index.addAll(Dims.rowMajorStrides(indexShape));
    index.addAll(zerosAfter);
    return StridedAxes.collapse(extents, List.of(data, index, outStrides));
  }

  /**
   * GatherElements: the output has the indices' shape and layout; the gathered axis moves by index
   * only.
   */
  private static StridedAxes elementAxes(
      List<Dim> dataStrides, List<Dim> indexShape, List<Dim> outStrides, int axis) {
    List<Dim> data = new ArrayList<>(dataStrides);
    data.set(axis, Dim.of(0));
    return StridedAxes.collapse(indexShape, List.of(data, outStrides, outStrides));
  }

  /**
   * A gather kernel's buffers, first among its arguments: data and indices read, output written.
   */
  private static List<Argument> buffers(
      LoweringContext context, String data, String indices, String output) {
    return new ArrayList<>(
        List.of(context.read(data), context.read(indices), context.write(output)));
  }
}
