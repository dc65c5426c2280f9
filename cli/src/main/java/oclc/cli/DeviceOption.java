package oclc.cli;

import oclc.ir.OclcException;

/** The {@code --device} values this build can run on. */
final class DeviceOption {
  private DeviceOption() {}

  static void requireReference(String device) {
    if (!device.equals("reference")) {
      throw new OclcException("device '" + device + "' is not available in this build; "
          + "use --device reference (the scalar reference executor)");
    }
  }
}
