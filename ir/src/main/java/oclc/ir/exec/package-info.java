/**
 * The reference executor (scalar, obviously correct; the oracle for every backend), symbol binding
 * from input shapes, and tensor comparison.
 */
package oclc.ir.exec;
