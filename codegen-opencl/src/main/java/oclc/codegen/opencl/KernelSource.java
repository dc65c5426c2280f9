package oclc.codegen.opencl;

import java.util.HashMap;
import java.util.Map;
import oclc.templates.KernelTemplates;

/** One OpenCL C kernel: its entry-point name and its source. */
public record KernelSource(String kernelName, String source) {

  /**
   * The kernel a template of {@code family}.stg renders, named {@code kernelName}: the template's
   * {@code kernelName} argument, given with the others (which may hold nulls, absent to
   * StringTemplate).
   */
  static KernelSource rendered(
      String family, String template, String kernelName, Map<String, ?> arguments) {
    Map<String, Object> all = new HashMap<>(arguments);
    all.put("kernelName", kernelName);
    return new KernelSource(kernelName, KernelTemplates.render(family, template, all));
  }
}
