package dev.descent.spark;

import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models an executor computes gradients with: one per task thread and model description,
 * built once from the description and weights ({@link Model#fromCheckpoint}) and given each
 * step's weights after that.
 */
final class WorkerModels {
    private static final ThreadLocal<Map<String, Model>> MODELS = ThreadLocal.withInitial(HashMap::new);

    /**
     * A network's parameters and buffers (running statistics) as plain arrays, to broadcast: names,
     * dimensions and values, in the network's order ({@link dev.descent.nn.Module#namedTensors()}).
     */
    record Weights(String[] names, int[][] dims, float[][] values) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The current parameters and buffers of {@code model}. */
        static Weights of(Model model) {
            Map<String, Tensor> parameters = model.network().namedTensors();
            String[] names = parameters.keySet().toArray(String[]::new);
            int[][] dims = new int[names.length][];
            float[][] values = new float[names.length][];
            for (int i = 0; i < names.length; i++) {
                dims[i] = parameters.get(names[i]).dims();
                values[i] = parameters.get(names[i]).toFloatArray();
            }
            return new Weights(names, dims, values);
        }
    }

    private WorkerModels() {
    }

    /** This thread's model of {@code config} (a model's {@code config.json} part), holding {@code weights}. */
    static Model model(String config, Weights weights) {
        Map<String, Model> mine = MODELS.get();
        Model model = mine.get(config);
        if (model == null) {
            mine.clear(); // a new fit: the last one's model is done
            Map<String, Tensor> named = new LinkedHashMap<>();
            for (int i = 0; i < weights.names().length; i++) {
                named.put(weights.names()[i], Tensor.of(weights.values()[i], weights.dims()[i]));
            }
            model = Model.fromCheckpoint(Checkpoint.of(named, Json.parseObject(config), null));
            mine.put(config, model);
            return model;
        }
        List<Tensor> parameters = List.copyOf(model.network().namedTensors().values());
        for (int i = 0; i < weights.values().length; i++) {
            parameters.get(i).copyFromInPlace(Tensor.of(weights.values()[i], weights.dims()[i]));
        }
        return model;
    }
}
