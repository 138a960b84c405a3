package dev.descent.data;

/** What the network predicts: a class (softmax over logits) or a real value. */
public enum Task {
    /** Targets are class indices; the metric is accuracy, the baseline the majority class. */
    CLASSIFICATION,
    /** Targets are real values; the baseline predicts the training mean. */
    REGRESSION
}
