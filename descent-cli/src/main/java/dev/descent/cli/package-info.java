/**
 * The {@code descent} command line (picocli): one class per command ({@code train}, {@code eval},
 * {@code predict}, {@code compare}, {@code tune}, {@code optimize}, {@code lr-find}, {@code plot},
 * {@code bench}, ...), the options they share, and the pictures they draw (PNG and SVG). The commands
 * parse their options and call the library; {@link dev.descent.cli.Main} runs them and turns a
 * {@link dev.descent.DescentException} into one line and exit status 2.
 */
package dev.descent.cli;
