/**
 * The end-to-end tests: the ONNX node tests on every backend against their checked-in outcomes
 * ({@code src/test/resources/conformance/}), the GPT-2 models of {@code ../shared}, ONNX Runtime
 * cross-checks, each kernel family on the device at both ends of its variants' ranges, and the
 * command line. Besides the bench, the only module that sees ONNX Runtime.
 */
package oclc.tests;
