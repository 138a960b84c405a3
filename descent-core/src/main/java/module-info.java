/**
 * Descent's library: tensors with reverse-mode automatic differentiation, layers, losses,
 * optimizers, data, training and checkpoints, on the JDK alone ({@code java.desktop} reads image
 * files, {@code java.net.http} downloads MNIST). Every package is exported.
 * The SIMD kernels use the Vector API ({@code jdk.incubator.vector}, required here, so a
 * program on the module path needs no {@code --add-modules}); a faster matrix product may be
 * provided as a {@link dev.descent.tensor.MatmulBackend} service (module {@code dev.descent.openblas}),
 * and more algorithms for tables as a {@link dev.descent.train.Learner.Provider} service (module
 * {@code dev.descent.trees}).
 */
module dev.descent.core {
    requires jdk.incubator.vector;
    requires java.net.http;
    requires java.desktop;

    exports dev.descent;
    exports dev.descent.autograd;
    exports dev.descent.data;
    exports dev.descent.data.table;
    exports dev.descent.data.text;
    exports dev.descent.io;
    exports dev.descent.loss;
    exports dev.descent.minimize;
    exports dev.descent.nn;
    exports dev.descent.nn.init;
    exports dev.descent.optim;
    exports dev.descent.tensor;
    exports dev.descent.train;

    uses dev.descent.tensor.MatmulBackend;
    uses dev.descent.train.Learner.Provider;
}
