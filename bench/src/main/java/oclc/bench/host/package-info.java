/** Benchmarks of the host's own work on a model's step: planning, enqueueing, waiting. */
package oclc.bench.host;
