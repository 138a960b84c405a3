/**
 * The HTTP prediction server of {@code descent serve}: TensorFlow Serving's and KServe's v1 REST
 * protocol on the JDK's HTTP server ({@link dev.descent.cli.serve.PredictionServer}), the
 * instances of a request checked and encoded for the model ({@code ServedModel}),
 * and the batching of concurrent requests into one forward pass ({@code Batcher}).
 */
package dev.descent.cli.serve;
