/**
 * What the end-to-end tests share: the test device and kernel cache, Java artifacts, the command
 * line run in-process, reference runs and random inputs, device-against-reference checks and the
 * checked-in conformance outcomes ({@link oclc.tests.support.ExpectedOutcomes}).
 */
package oclc.tests.support;
