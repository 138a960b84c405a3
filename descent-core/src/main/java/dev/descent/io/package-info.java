/**
 * Files: atomic writes of files and whole folders ({@link dev.descent.io.AtomicFiles}: a reader
 * sees the old content or the new, never a mix), a strict JSON parser and writer, the safetensors
 * format (weights that Python's {@code safetensors} and PyTorch read), the codec that saves any
 * optimizer state, and training checkpoints (weights, optimizer state, configuration and provenance).
 */
package dev.descent.io;
