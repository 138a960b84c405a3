package dev.descent.train;

/**
 * Loss and accuracy of a model on a data set.
 *
 * @param loss     mean loss over all examples
 * @param accuracy share of examples whose arg-max class equals the label (NaN for regression)
 * @param count    number of examples
 */
public record Evaluation(double loss, double accuracy, int count) {
}
