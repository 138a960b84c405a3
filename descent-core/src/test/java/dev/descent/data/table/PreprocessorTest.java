package dev.descent.data.table;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import dev.descent.data.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessorTest {
    private static final String TRAIN = """
            id,age,color,member,const,label
            1,20,red,yes,7,a
            2,30,blue,no,7,b
            3,,red,yes,7,a
            4,40,green,no,7,b
            """;

    private static Table csv(String name, String text) {
        return CsvReader.parse(name, text, CsvReader.Format.DEFAULT);
    }

    private static Preprocessor.Options options(String target, Preprocessor.MissingPolicy missing) {
        return new Preprocessor.Options(target, Set.of(), Set.of("id"), missing, null);
    }

    private static Preprocessor fit(Table train) {
        Preprocessor.Options o = options("label", Preprocessor.MissingPolicy.IMPUTE);
        return Preprocessor.fit(train, o, Preprocessor.detectTarget(train, o));
    }

    @Test
    void encodesEachKindOfColumnWithTrainingStatistics() {
        Table train = csv("train.csv", TRAIN);
        Preprocessor p = fit(train);
        assertEquals(List.of("age", "age_missing", "color=blue", "color=green", "color=red", "member", "const"),
                p.inputNames());
        List<String> warnings = new ArrayList<>();
        float[] x = p.inputs(train, warnings::add).toFloatArray();
        // age: mean 30, std sqrt(200/3) over the three present values; the missing one is 0 with its indicator set
        double std = Math.sqrt(200.0 / 3);
        assertArrayEquals(new float[] {(float) (-10 / std), 0, 0, 0, 1, 1, 0}, slice(x, 0, 7), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 1, 0}, slice(x, 2, 7), 1e-6f);
        assertArrayEquals(new float[] {(float) (10 / std), 0, 0, 1, 0, 0, 0}, slice(x, 3, 7), 1e-6f);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals(Task.CLASSIFICATION, p.task());
        assertArrayEquals(new float[] {0, 1, 0, 1}, p.target().encode(train));
    }

    private static float[] slice(float[] x, int row, int width) {
        float[] out = new float[width];
        System.arraycopy(x, row * width, out, 0, width);
        return out;
    }

    @Test
    void freshFileInAnotherOrderWithUnseenCategoryAndMissingValuesWarns() {
        Table train = csv("train.csv", TRAIN);
        Preprocessor p = fit(train);
        Table fresh = csv("new.csv", "const,color,member,age,extra\n7,purple,,40,zz\n7,red,no,20,zz\n");
        List<String> warnings = new ArrayList<>();
        float[] x = p.inputs(fresh, warnings::add).toFloatArray();
        float[] reordered = p.inputs(csv("same.csv", "age,color,member,const\n20,red,no,7\n"), w -> { }).toFloatArray();
        assertArrayEquals(slice(x, 1, 7), reordered);
        // purple: all zeros; member missing: imputed with the most frequent value (no: 2, yes: 2, first in order wins)
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {x[2], x[3], x[4]});
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("column 'color': 1 row of new.csv has a category not seen in training ('purple')"),
                warnings.get(0));
        assertTrue(warnings.get(1).contains("column 'member': 1 missing value in new.csv, none in training"), warnings.get(1));
    }

    @Test
    void missingColumnNonNumberAndMissingPolicyErrorsNameRowAndColumn() {
        Preprocessor p = fit(csv("train.csv", TRAIN));
        String absent = assertThrows(DescentException.class,
                () -> p.inputs(csv("new.csv", "age,color\n1,red\n"), w -> { })).getMessage();
        assertTrue(absent.startsWith("input column 'member' is not in new.csv"), absent);
        String notNumber = assertThrows(DescentException.class,
                () -> p.inputs(csv("new.csv", "age,color,member,const\n1,red,yes,7\nold,red,yes,7\n"), w -> { })).getMessage();
        assertTrue(notNumber.startsWith("new.csv row 2 (line 3), column 'age': 'old' is not a number"), notNumber);
        Table train = csv("train.csv", TRAIN);
        Preprocessor.Options strict = options("label", Preprocessor.MissingPolicy.ERROR);
        String missing = assertThrows(DescentException.class,
                () -> Preprocessor.fit(train, strict, Preprocessor.detectTarget(train, strict))).getMessage();
        assertTrue(missing.startsWith("train.csv row 3 (line 4), column 'age': the value is missing"), missing);
        String target = assertThrows(DescentException.class,
                () -> Preprocessor.detectTarget(train, options("y", Preprocessor.MissingPolicy.IMPUTE))).getMessage();
        assertTrue(target.startsWith("target column 'y' is not in train.csv"), target);
    }

    @Test
    void cellsBeyondTheFloatRangeAreRefusedAtLoadNamingRowAndColumn() {
        Table infinite = csv("big.csv", "x,y\n1,a\n1e999,b\n3,a\n");
        assertRefused(infinite, "y", "big.csv row 2 (line 3), column 'x': '1e999' is beyond the range of 32-bit floats"
                + " (±3.4e38) the network computes in; fix the value or rescale the column");
        Table overflowsFloat = csv("target.csv", "x,y\n1,2.5\n2,-4e38\n3,7.25\n");
        assertRefused(overflowsFloat, "y", "target.csv row 2 (line 3), column 'y': '-4e38' is beyond the range of 32-bit floats");
        Table hugeExponent = csv("exp.csv", "x,y\n1,1.5\n2,1e99999999999\n3,2.5\n");
        assertRefused(hugeExponent, "y", "exp.csv row 2 (line 3), column 'y': '1e99999999999' is beyond the range");
        Table fine = csv("ok.csv", "x,y\n3.4e38,1.5\n-3.4e38,2.5\n0,1e-999\n");
        Preprocessor.Options o = new Preprocessor.Options("y", Set.of(), Set.of(), Preprocessor.MissingPolicy.IMPUTE, null);
        Preprocessor p = Preprocessor.fit(fine, o, Preprocessor.detectTarget(fine, o));
        for (float v : p.inputs(fine, w -> { }).toFloatArray()) {
            assertTrue(Float.isFinite(v), "input " + v);
        }
    }

    @Test
    void hugeExponentsAsClassNamesSortWithoutFailing() {
        Table t = csv("c.csv", "x,y\n1,1e99999999999\n2,2\n3,1e-99999999999\n4,2\n");
        assertEquals(List.of("1e-99999999999", "2", "1e99999999999"),
                Target.detect(t, "y", false, Task.CLASSIFICATION).classes());
    }

    private static void assertRefused(Table table, String target, String message) {
        Preprocessor.Options o = new Preprocessor.Options(target, Set.of(), Set.of(), Preprocessor.MissingPolicy.IMPUTE, null);
        String actual = assertThrows(DescentException.class,
                () -> Preprocessor.fit(table, o, Preprocessor.detectTarget(table, o))).getMessage();
        assertTrue(actual.startsWith(message), actual);
    }

    @Test
    void roundTripThroughCheckpointJsonEncodesIdentically() {
        Table train = csv("train.csv", TRAIN);
        Preprocessor p = fit(train);
        String json = Json.pretty(p.toConfig());
        Preprocessor back = Preprocessor.fromConfig(Json.parseObject(json));
        Table fresh = csv("new.csv", "color,member,age,const\npurple,,41.5,3\nblue,yes,,7\n");
        Tensor a = p.inputs(fresh, w -> { }), b = back.inputs(fresh, w -> { });
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertEquals(p.inputNames(), back.inputNames());
        assertEquals(p.target(), back.target());
        assertEquals(json, Json.pretty(back.toConfig()));
    }

    @Test
    void taskIsDetectedAndRegressionTargetsAreStandardized() {
        Table t = csv("t.csv", "x,ints,reals,words\n1,3,0.5,u\n2,1,1.5,v\n3,2,4.0,u\n4,3,2.0,v\n");
        assertEquals(Task.CLASSIFICATION, Target.detect(t, "ints", false, null).task());
        assertEquals(List.of("1", "2", "3"), Target.detect(t, "ints", false, null).classes());
        assertEquals(Task.CLASSIFICATION, Target.detect(t, "words", false, null).task());
        assertEquals(Task.REGRESSION, Target.detect(t, "reals", false, null).task());
        assertEquals(Task.REGRESSION, Target.detect(t, "ints", false, Task.REGRESSION).task());
        assertThrows(DescentException.class, () -> Target.detect(t, "words", false, Task.REGRESSION));
        Preprocessor.Options o = new Preprocessor.Options("reals", Set.of(), Set.of(), Preprocessor.MissingPolicy.IMPUTE, null);
        Preprocessor p = Preprocessor.fit(t, o, Preprocessor.detectTarget(t, o));
        // mean 2, std sqrt((2.25 + 0.25 + 4 + 0) / 4)
        double std = Math.sqrt(6.5 / 4);
        assertEquals(2, p.target().mean(), 1e-12);
        assertEquals(std, p.target().std(), 1e-12);
        assertEquals(-1.5 / std, p.target().encode(t)[0], 1e-6);
        assertEquals(4.0, p.target().decode(2 / std), 1e-12);
        // numeric classes sort as numbers: 2 before 10
        Table numbers = csv("n.csv", "x,y\n1,10\n2,2\n3,10\n");
        assertEquals(List.of("2", "10"), Target.detect(numbers, "y", false, null).classes());
        assertThrows(DescentException.class, () -> Target.detect(csv("o.csv", "x,y\n1,a\n2,a\n"), "y", false, null));
    }
}
