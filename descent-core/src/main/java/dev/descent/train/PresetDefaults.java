package dev.descent.train;

import java.util.Map;

/**
 * Training defaults that belong to a model preset ({@code --model cnn}): settings the preset
 * needs to reach its mark from one command, used where the user gives none.
 */
final class PresetDefaults {
    /**
     * cnn: 15 epochs without early stopping, with small random rotations, shifts and scalings of
     * each training image (the plain network stops at about 99.2%; the validation loss creeps up
     * from about epoch 5 while the validation accuracy still improves as the cosine schedule
     * decays, so early stopping on the loss would stop too soon). lstm and gru: 12 epochs without
     * early stopping, for the same reason.
     */
    private static final Map<String, Map<Setting, Object>> DEFAULTS = Map.of(
            "cnn", Map.of(Setting.EPOCHS, 15, Setting.PATIENCE, 0, Setting.AUGMENT, "rotate=10,translate=2,scale=0.1"),
            "lstm", Map.of(Setting.EPOCHS, 12, Setting.PATIENCE, 0),
            "gru", Map.of(Setting.EPOCHS, 12, Setting.PATIENCE, 0));

    private PresetDefaults() {
    }

    /** The defaults of the preset {@code model} names; empty for other models (or none). */
    static Map<Setting, Object> of(String model) {
        return model == null ? Map.of() : DEFAULTS.getOrDefault(model.trim(), Map.of());
    }
}
