package dev.descent.data.table;

import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import dev.descent.io.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target of the table readers, CSV, TSV and ARFF (dense and sparse rows), raw or gzip, with
 * or without a header ({@link TableReader#read}), and of the numeric conversion behind them: the
 * table's target is detected, a {@link Preprocessor} fitted on it, the inputs and targets encoded
 * and the preprocessor's config read back. Each step returns, or refuses the input with a
 * one-line {@link dev.descent.DescentException}; the encoded inputs and targets are finite.
 */
class TableFuzzTest {
    private static final List<String> NAMES = List.of("t.csv", "t.tsv", "t.arff");
    private static final Path DIR = Fuzz.scratch("t.csv", "t.tsv", "t.arff", "t.csv.gz", "t.tsv.gz", "t.arff.gz");
    private static final List<Seed> SEEDS = List.of(
            Seed.text("people.csv", """
                    id,age,color,member,income,label,price
                    0,26.7,red,no,50.78,bad,97.66
                    1,44.4,"green, light",no,,bad,125.51
                    2,33.3,red,yes,52.23,good,108.52
                    3,NA,"say \"\"hi\"\"",t,43.91,good,1.5e3
                    4,39.1,blue,f,-4,bad,-0.25
                    """),
            Seed.text("regression.csv", "x,y\n1,2.5\n2,4.75\r\n3,7\n\n4,9.125\n5,-1e3\n"),
            Seed.text("table.tsv", "a\tb\tc\n1\tx\ttrue\n2\ty\tfalse\n3\tx\ttrue\n4\ty\tfalse\n"),
            Seed.text("wide.csv", wide()),
            Seed.text("weather.arff", ArffReaderTest.HEADER + """
                    sunny,85,1.5,'hot, dry',2024-01-02,no
                    'light rain',?,0,?,1970-01-01,yes
                    % a comment inside the data
                    overcast,64,2,"cool",2024-01-02,yes,{3}
                    sunny,70,3,warm,2024-03-04,no
                    """),
            Seed.text("sparse.arff", """
                    @relation s
                    @attribute a numeric
                    @attribute b numeric
                    @attribute c {p, q}
                    @attribute d integer
                    @data
                    {1 2.5, 2 q}
                    {0 1, 3 7}
                    {}
                    {0 -1, 2 p, 3 2}, {0.5}
                    """));
    private static final List<String> TOKENS = List.of("\"\"", "\"a,b\"", "@relation r", "@attribute a numeric",
            "@attribute c {x, y}", "@attribute d date yyyy-MM-dd", "@attribute s string", "@data", "{0 1,, 3 p}",
            "{1 x}", "{", ", {2}", "NA", "N/A", "?", "1e38", "3.5e38", "-3.5e38", "1e308", "yes", "no", "TRUE",
            "1970-01-01", "x\ty", "a;b");

    /** A table of numbers without a header, like the UCI digits: 12 columns, the last a class. */
    private static String wide() {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 11; c++) {
                text.append((r * 7 + c * 3) % 17).append(',');
            }
            text.append(r % 3).append('\n');
        }
        return text.toString();
    }

    @Provide
    Arbitrary<Input> tables() {
        return Fuzz.inputs(SEEDS, TOKENS);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(NAMES);
    }

    /** Written under its seed's extension, or a random one for token soups and random bytes. */
    @Property
    void readsAndEncodesOrRefusesInOneLine(@ForAll("tables") Input input, @ForAll("names") String randomName,
                                           @ForAll boolean gzip, @ForAll boolean header) {
        String name = (input.extension().isEmpty() ? randomName : "t." + input.extension()) + (gzip ? ".gz" : "");
        Path file = Fuzz.write(DIR.resolve(name), gzip ? input.gzipped() : input.bytes());
        Fuzz.check(input, () -> {
            Table table = TableReader.read(file, new CsvReader.Format(null, header));
            for (int c = 0; c < table.columnCount(); c++) {
                table.type(c);
            }
            Preprocessor.Options options = new Preprocessor.Options("last", Set.of(), Set.of(),
                    Preprocessor.MissingPolicy.IMPUTE, null);
            Preprocessor preprocessor = Preprocessor.fit(table, options, Preprocessor.detectTarget(table, options));
            List<String> warnings = new ArrayList<>();
            assertFinite(preprocessor.inputs(table, warnings::add).toFloatArray(), "inputs");
            assertFinite(preprocessor.target().encode(table), "targets");
            Preprocessor.fromConfig(Json.parseObject(Json.write(preprocessor.toConfig()))).inputs(table, warnings::add);
        });
    }

    /** What a network learns from must be finite: a cell that is not is refused, not encoded. */
    private static void assertFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new AssertionError("encoded " + what + " hold " + values[i] + " at " + i);
            }
        }
    }
}
