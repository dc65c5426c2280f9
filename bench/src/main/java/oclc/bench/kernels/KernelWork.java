package oclc.bench.kernels;

/** What one launch of a benchmark's node computes and moves at least, to turn a time into rates. */
public record KernelWork(long flops, long bytes) {}
