/**
 * The picocli {@code oclc} command line: reading arguments (the option blocks that several commands
 * share are mixins: {@link oclc.cli.DeviceOption}, {@link oclc.cli.SizeOptions}, {@link
 * oclc.cli.KernelOption}, {@link oclc.cli.DeviceModelOptions} with {@link oclc.cli.FusionOption}
 * and {@code CacheCommand.Location}, {@link oclc.cli.TokenizerOption}, and the {@code MODEL}
 * parameter, {@link oclc.cli.ModelParameter}) and printing results (every command is a {@link
 * oclc.cli.PrintingCommand}, and takes {@code --help} and {@code --version} from {@code oclc}); the
 * work is {@code oclc.compiler}'s. {@link oclc.cli.Remedies} spells an error's remedy as the flag
 * that fixes it.
 */
package oclc.cli;
