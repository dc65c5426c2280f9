/**
 * The picocli {@code oclc} command line: reading arguments (the option blocks that several commands
 * share are mixins: {@link oclc.cli.DeviceOption}, {@link oclc.cli.SizeOptions}, {@link
 * oclc.cli.KernelOption}, {@link oclc.cli.FusionOption}, {@code CacheCommand.Location}, and the
 * {@code MODEL} parameter, {@link oclc.cli.ModelParameter}) and printing results; the work is
 * {@code oclc.compiler}'s. {@link oclc.cli.Remedies} spells an error's remedy as the flag that
 * fixes it.
 */
package oclc.cli;
