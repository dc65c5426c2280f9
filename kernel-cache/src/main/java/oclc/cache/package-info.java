/**
 * Device binaries on disk, keyed by kernel source, build options, platform, device, driver and oclc
 * version; atomic writes, checksummed entries. Knows nothing of the IR.
 */
package oclc.cache;
