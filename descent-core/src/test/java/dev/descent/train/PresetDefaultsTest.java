package dev.descent.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PresetDefaultsTest {
    @Test
    void cnnTrainsFifteenAugmentedEpochsWithoutEarlyStopping() {
        TrainingSettings cnn = TrainingSettings.defaults().with(Setting.MODEL, "cnn");
        assertEquals(15, cnn.integer(Setting.EPOCHS));
        assertEquals(0, cnn.integer(Setting.PATIENCE));
        assertEquals("rotate=10,translate=2,scale=0.1", cnn.text(Setting.AUGMENT));
    }

    @Test
    void recurrentPresetsTrainTwelveEpochsWithoutEarlyStopping() {
        for (String preset : new String[] {"lstm", "gru"}) {
            TrainingSettings s = TrainingSettings.defaults().with(Setting.MODEL, preset);
            assertEquals(12, s.integer(Setting.EPOCHS), preset);
            assertEquals(0, s.integer(Setting.PATIENCE), preset);
        }
    }

    @Test
    void givenValuesWinOverThePresetAndOtherModelsKeepTheDefaults() {
        TrainingSettings cnn = TrainingSettings.defaults().with(Setting.MODEL, "cnn")
                .with(Setting.AUGMENT, "").with(Setting.EPOCHS, 3);
        assertEquals("", cnn.text(Setting.AUGMENT));
        assertEquals(3, cnn.integer(Setting.EPOCHS));
        TrainingSettings mlp = TrainingSettings.defaults().with(Setting.MODEL, "dense(32) relu dense(10)");
        assertEquals(Setting.EPOCHS.defaultFor(DataKind.IMAGES), mlp.get(Setting.EPOCHS));
        assertEquals(Setting.AUGMENT.defaultFor(DataKind.IMAGES), mlp.get(Setting.AUGMENT));
    }
}
