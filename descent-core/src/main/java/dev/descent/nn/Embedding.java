package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.nn.init.Initializer;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A lookup table of vectors, PyTorch's {@code nn.Embedding}: token ids {@code [...]} (whole
 * numbers {@code 0 … V−1}, held in a float tensor like class labels) become their rows of the
 * parameter {@code "weight" E [V, D]}, {@code y[..., :] = E[id, :]}, shape {@code [..., D]}.
 * The gradient of a row is the sum of the output gradients at the positions holding its id
 * ({@link Tensor#indexSelect}). Default initialization: {@code E ~ N(0, 1)}, as PyTorch's.
 */
public final class Embedding extends Module {
    private final int vocabulary;
    private final int dimension;

    /** A table of {@code vocabulary} vectors of {@code dimension} values, drawn from {@code rng}. */
    public Embedding(int vocabulary, int dimension, RandomGenerator rng) {
        if (vocabulary < 1 || dimension < 1) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got vocabulary " + vocabulary
                    + " and dimension " + dimension);
        }
        this.vocabulary = vocabulary;
        this.dimension = dimension;
        registerParameter("weight", Initializer.normal(0, 1).create(rng, DType.FLOAT32, Shape.of(vocabulary, dimension)));
    }

    @Override
    public Tensor forward(Tensor ids) {
        int[] index = ids(ids);
        int[] dims = Arrays.copyOf(ids.dims(), ids.rank() + 1);
        dims[ids.rank()] = dimension;
        return weight().indexSelect(0, index).reshape(dims);
    }

    /** The ids held in {@code ids} (row-major); one that is not a whole number in {@code [0, V)} is a {@link DescentException}. */
    int[] ids(Tensor ids) {
        int[] index = new int[ids.size()];
        for (int i = 0; i < index.length; i++) {
            double v = ids.storage().get(i);
            index[i] = (int) v;
            if (index[i] != v || index[i] < 0 || index[i] >= vocabulary) {
                throw new DescentException("token id " + v + " at position " + i + " is not in the vocabulary of "
                        + vocabulary + " (ids 0.." + (vocabulary - 1) + "); encode the text with the model's vocabulary");
            }
        }
        return index;
    }

    /** {@code E [V, D]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    public int vocabulary() {
        return vocabulary;
    }

    public int dimension() {
        return dimension;
    }

    @Override
    public String toString() {
        return "Embedding(" + vocabulary + ", " + dimension + ")";
    }
}
