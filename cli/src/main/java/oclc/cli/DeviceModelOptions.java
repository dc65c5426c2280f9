package oclc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import oclc.cache.KernelCache;
import oclc.compiler.DeviceModel;
import picocli.CommandLine.Mixin;

/**
 * {@code --cache-dir} and {@code --fuse}: where the kernels of a model made ready on a device are
 * kept, and whether an .onnx model compiled on the fly is fused ({@code compile}, {@code run},
 * {@code generate}, {@code serve}, {@code profile}, {@code conformance}).
 */
final class DeviceModelOptions {
  @Mixin CacheCommand.Location cacheLocation;

  @Mixin FusionOption fusion;

  /** The model (an .onnx file, compiled now, or an artifact) ready on {@code device}. */
  DeviceModel open(Path model, String device, PrintWriter err) {
    return DeviceModel.open(model, device, cache(), err, fuse());
  }

  /** The same, an .onnx model's weights quantized as {@code weights} asks first. */
  DeviceModel open(Path model, String device, PrintWriter err, WeightsOption weights) {
    return DeviceModel.open(model, device, cache(), err, fuse(), weights.rewrite(model, err));
  }

  KernelCache cache() {
    return cacheLocation.cache();
  }

  /** The {@code --cache-dir} given, or null for the default. */
  Path cacheDirectory() {
    return cacheLocation.directory();
  }

  boolean fuse() {
    return fusion.fuse;
  }
}
