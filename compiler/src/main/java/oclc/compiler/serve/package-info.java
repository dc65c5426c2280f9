/**
 * {@code oclc serve}: an OpenAI-style completions endpoint on the JDK's HTTP server. {@link
 * oclc.compiler.serve.CompletionServer} owns the HTTP side (parsing, status codes, Server-Sent
 * Events, metrics); {@link oclc.compiler.serve.BatchDecoder} owns the device: it takes the requests
 * waiting when a batch starts and decodes them together, one batched step per token.
 */
package oclc.compiler.serve;
