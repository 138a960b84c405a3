package dev.descent.data.table;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArffReaderTest {
    /** The header of Weka's weather data, with every kind of attribute (also a seed of {@link TableFuzzTest}). */
    static final String HEADER = """
            % the weather data
            @RELATION weather
            @attribute outlook {sunny, overcast, 'light rain'}
            @attribute temperature NUMERIC
            @attribute 'wind speed' real
            @attribute note string
            @attribute day date "yyyy-MM-dd"
            @attribute play {yes,no}
            @data
            """;

    @Test
    void denseRowsWithMissingQuotedValuesAndDates() {
        Table t = ArffReader.parse("w.arff", HEADER + """
                sunny,85,1.5,'hot, dry',2024-01-02,no
                'light rain',?,0,?,1970-01-01,yes
                % a comment inside the data
                overcast,64,2,"cool",2024-01-02,yes,{3}
                """);
        assertEquals(List.of("outlook", "temperature", "wind speed", "note", "day", "play"), t.names());
        assertEquals(3, t.rowCount());
        assertEquals("hot, dry", t.cell(0, 3));
        assertEquals("light rain", t.cell(1, 0));
        assertNull(t.cell(1, 1));
        assertNull(t.cell(1, 3));
        assertEquals("1704153600", t.cell(0, 4)); // 2024-01-02T00:00:00Z in seconds
        assertEquals("0", t.cell(1, 4));
        assertEquals("yes", t.cell(2, 5)); // the instance weight {3} is dropped
        assertEquals(ColumnType.CATEGORICAL, t.type(0));
        assertEquals(ColumnType.NUMERIC, t.type(1));
        assertEquals(ColumnType.CATEGORICAL, t.type(3));
        assertEquals(ColumnType.NUMERIC, t.type(4));
        assertEquals(13, t.line(2));
    }

    @Test
    void sparseRowsFillZerosAndFirstLabels() {
        Table t = ArffReader.parse("s.arff", """
                @relation s
                @attribute a numeric
                @attribute b numeric
                @attribute c {x, y}
                @attribute d numeric
                @data
                {1 5, 3 ?}
                {}
                {2 y, 0 -1.5}
                """);
        assertEquals(3, t.rowCount());
        assertEquals(List.of("0", "5", "x"), List.of(t.cell(0, 0), t.cell(0, 1), t.cell(0, 2)));
        assertNull(t.cell(0, 3));
        assertEquals("0", t.cell(1, 3));
        assertEquals("-1.5", t.cell(2, 0));
        assertEquals("y", t.cell(2, 2));
    }

    @Test
    void badValuesNameRowAndColumn() {
        String notNumber = assertThrows(DescentException.class, () -> ArffReader.parse("w.arff", HEADER
                + "sunny,85,1,a,2024-01-02,no\nsunny,hot,1,a,2024-01-02,no\n")).getMessage();
        assertTrue(notNumber.startsWith("w.arff row 2 (line 11), column 'temperature': 'hot' is not a number"), notNumber);
        String notLabel = assertThrows(DescentException.class, () -> ArffReader.parse("w.arff", HEADER
                + "rainy,85,1,a,2024-01-02,no\n")).getMessage();
        assertTrue(notLabel.contains("row 1 (line 10), column 'outlook': 'rainy' is not one of the declared values"), notLabel);
        String badDate = assertThrows(DescentException.class, () -> ArffReader.parse("w.arff", HEADER
                + "sunny,85,1,a,02/01/2024,no\n")).getMessage();
        assertTrue(badDate.contains("column 'day'") && badDate.contains("yyyy-MM-dd"), badDate);
        String ragged = assertThrows(DescentException.class, () -> ArffReader.parse("w.arff", HEADER
                + "sunny,85\n")).getMessage();
        assertTrue(ragged.contains("row 1 (line 10) has 2 values but 6 attributes"), ragged);
        String sparse = assertThrows(DescentException.class, () -> ArffReader.parse("w.arff", HEADER
                + "{9 1}\n")).getMessage();
        assertTrue(sparse.contains("bad sparse entry '9 1'"), sparse);
    }

    @Test
    void aSparseRowWithAnEmptyEntryNamesItsLine() {
        String header = "@relation s\n@attribute a numeric\n@attribute b numeric\n@attribute c numeric\n"
                + "@attribute d {p, q}\n@data\n";
        for (String row : new String[] {"{0 1,, 3 p}", "{, 1 2}", "{1 2,}"}) {
            String message = assertThrows(DescentException.class, () -> ArffReader.parse("s.arff", header + row + "\n"))
                    .getMessage();
            assertTrue(message.startsWith("s.arff row 1 (line 7): bad sparse entry ''; write INDEX VALUE with a 0-based"
                    + " index below 4"), message);
        }
    }

    @Test
    void tableReaderPicksArffByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.arff");
        Files.writeString(file, HEADER + "sunny,85,1.5,x,2024-01-02,no\n");
        assertTrue(TableReader.isTableFile("w.arff.gz"));
        Table t = TableReader.read(file, CsvReader.Format.DEFAULT);
        assertEquals("w.arff", t.source());
        assertEquals("85", t.cell(0, 1));
    }

    @Test
    void emptyOrHeaderlessFilesAreErrors() {
        assertTrue(assertThrows(DescentException.class, () -> ArffReader.parse("e.arff", ""))
                .getMessage().contains("e.arff is empty"));
        assertTrue(assertThrows(DescentException.class, () -> ArffReader.parse("e.arff", "@relation r\n@attribute a numeric\n"))
                .getMessage().contains("no @data line"));
        assertTrue(assertThrows(DescentException.class, () -> ArffReader.parse("e.arff", "@relation r\n@attribute a numeric\n@data\n"))
                .getMessage().contains("no data rows"));
        assertTrue(assertThrows(DescentException.class, () -> ArffReader.parse("e.arff", "@relation r\n@attribute a relational\n@data\n"))
                .getMessage().contains("not supported"));
    }
}
