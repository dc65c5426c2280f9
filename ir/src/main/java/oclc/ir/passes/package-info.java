/**
 * Graph-to-graph passes, listed in order in {@link oclc.ir.passes.Passes}, each verified after it
 * runs.
 */
package oclc.ir.passes;
