package dev.descent.tensor;


import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation. From the root, the recorded ops are visited in
 * reverse topological order; each applies its rule from {@link Derivatives} to turn the
 * gradient of its output into gradients of its inputs (the chain rule), and the gradients
 * reaching a tensor from several uses are summed. Leaves that require a gradient add the
 * result to their {@link Tensor#grad()}.
 */
public final class Backprop {
    private Backprop() {
    }

    /** Propagates {@code seed = ∂L/∂root} back through the recorded graph. */
    public static void run(Tensor root, Tensor seed) {
        if (!seed.shape().equals(root.shape())) {
            throw new IllegalArgumentException("seed gradient shape " + seed.shape() + " differs from " + root.shape());
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward() on a tensor that does not require a gradient: no parameter "
                    + "or input marked requiresGrad(true) was used to compute it, or it was computed under noGrad()");
        }
        try (var scope = Autograd.noGrad()) {
            Map<Tensor, Tensor> grads = new IdentityHashMap<>();
            grads.put(root, seed.to(root.dtype()));
            for (Tensor t : reverseTopologicalOrder(root)) {
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                Op op = t.gradFn();
                if (op == null) {
                    accumulateLeaf(t, g);
                    continue;
                }
                List<Tensor> inputs = op.inputs();
                Tensor[] inputGrads = Derivatives.backward(op, t, g);
                for (int i = 0; i < inputs.size(); i++) {
                    Tensor input = inputs.get(i);
                    if (inputGrads[i] == null || !input.requiresGrad()) {
                        continue;
                    }
                    grads.merge(input, inputGrads[i], Tensor::add);
                }
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        leaf.accumulateGrad(g); // into the leaf's own buffer: the same g may reach several leaves
    }

    /** Every tensor the root depends on through recorded ops, outputs before their inputs. */
    static List<Tensor> reverseTopologicalOrder(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Boolean> expanded = new ArrayDeque<>();
        stack.push(root);
        expanded.push(false);
        while (!stack.isEmpty()) {
            Tensor t = stack.pop();
            boolean done = expanded.pop();
            if (done) {
                postOrder.add(t);
                continue;
            }
            if (!visited.add(t)) {
                continue;
            }
            stack.push(t);
            expanded.push(true);
            if (t.gradFn() != null) {
                for (Tensor input : t.gradFn().inputs()) {
                    if (input.requiresGrad() && !visited.contains(input)) {
                        stack.push(input);
                        expanded.push(false);
                    }
                }
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
