package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Buffers come back zero-filled after a recycle (unless asked for overwrite), and gradients are reused. */
class WorkspaceTest {

    @Test
    void recycledBuffersAreReusedZeroFilled() {
        Workspace w = new Workspace();
        Storage first;
        try (var active = w.activate()) {
            first = Tensor.full(DType.FLOAT32, Shape.of(3, 4), 7).storage();
        }
        try (var active = w.activate()) { // not recycled yet: a new buffer
            assertNotSame(first, Tensor.zeros(3, 4).storage());
        }
        w = new Workspace();
        try (var active = w.activate()) {
            first = Tensor.full(DType.FLOAT32, Shape.of(3, 4), 7).storage();
        }
        w.recycle();
        try (var active = w.activate()) {
            Tensor again = Tensor.zeros(3, 4);
            assertSame(first, again.storage());
            assertArrayEquals(new float[12], again.toFloatArray());
            assertNotSame(first, Tensor.zeros(13).storage()); // buffers are matched by size
        }
        assertNotSame(first, Tensor.zeros(3, 4).storage()); // inactive: plain allocation
    }

    @Test
    void buffersForOverwriteSkipTheZeroFill() {
        Workspace w = new Workspace();
        Storage first;
        try (var active = w.activate()) {
            first = Tensor.full(DType.FLOAT32, Shape.of(2, 2), 7).storage();
        }
        w.recycle();
        try (var active = w.activate()) {
            Tensor again = Tensor.forOverwrite(DType.FLOAT32, Shape.of(2, 2));
            assertSame(first, again.storage());
            assertArrayEquals(new float[] {7, 7, 7, 7}, again.toFloatArray());
        }
        assertArrayEquals(new float[4], Tensor.forOverwrite(DType.FLOAT32, Shape.of(2, 2)).toFloatArray());
    }

    @Test
    void zeroGradKeepsTheBufferForTheNextBackwardPass() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        w.mul(w).sum().backward();
        Tensor grad = w.grad();
        assertArrayEquals(new float[] {2, 4, 6}, grad.toFloatArray());
        w.zeroGrad();
        w.mul(Tensor.of(new float[] {5, 5, 5}, 3)).sum().backward();
        assertSame(grad, w.grad());
        assertArrayEquals(new float[] {5, 5, 5}, w.grad().toFloatArray());
    }
}
