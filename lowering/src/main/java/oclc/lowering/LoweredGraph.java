package oclc.lowering;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.BufferSpec;
import oclc.artifact.Manifest.NodeLaunches;

/**
 * A lowered graph (OpenCL or the Java kernels): per node its variants, the buffers they use (params
 * without their offsets yet), the kernel sources by name and the params' bytes.
 */
public record LoweredGraph(
    List<NodeLaunches> nodes,
    List<BufferSpec> buffers,
    Map<String, String> kernelSources,
    Map<String, ByteBuffer> paramBytes) {

  public int variantCount() {
    return nodes.stream().mapToInt(n -> n.variants().size()).sum();
  }
}
