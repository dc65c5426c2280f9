/**
 * The picocli {@code oclc} command line: the only module that knows every other.
 */
package oclc.cli;
