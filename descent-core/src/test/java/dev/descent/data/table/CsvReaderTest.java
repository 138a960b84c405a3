package dev.descent.data.table;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {
    private static Table csv(String text) {
        return CsvReader.parse("t.csv", text, CsvReader.Format.DEFAULT);
    }

    @Test
    void quotedCellsHoldDelimitersQuotesAndLineBreaks() {
        Table t = csv("name,note\r\n\"Smith, J.\",\"said \"\"hi\"\"\"\n\"multi\nline\",plain\n");
        assertEquals(List.of("name", "note"), t.names());
        assertEquals(2, t.rowCount());
        assertEquals("Smith, J.", t.cell(0, 0));
        assertEquals("said \"hi\"", t.cell(0, 1));
        assertEquals("multi\nline", t.cell(1, 0));
        assertEquals(3, t.line(1));
    }

    @Test
    void otherDelimiterUtf8AndByteOrderMark(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ü.csv");
        Files.writeString(file, "\uFEFFstadt;größe\nMünchen;1,5\n東京;14\n", StandardCharsets.UTF_8);
        Table t = TableReader.read(file, new CsvReader.Format(';', true));
        assertEquals(List.of("stadt", "größe"), t.names());
        assertEquals("東京", t.cell(1, 0));
        assertEquals("1,5", t.cell(0, 1));
    }

    @Test
    void missingMarkersBlankLinesAndTrimming() {
        Table t = csv("a,b,c\n 1 ,NA,?\n\n,x, N/A\n");
        assertEquals(2, t.rowCount());
        assertEquals("1", t.cell(0, 0));
        assertNull(t.cell(0, 1));
        assertNull(t.cell(0, 2));
        assertNull(t.cell(1, 0));
        assertNull(t.cell(1, 2));
        assertEquals(4, t.line(1));
    }

    @Test
    void withoutHeaderColumnsAreNumberedAndLastIsTheLastColumn() {
        Table t = CsvReader.parse("t.csv", "1,2,3\n4,5,6\n", new CsvReader.Format(null, false));
        assertEquals(List.of("1", "2", "3"), t.names());
        assertEquals(2, t.rowCount());
        assertEquals(2, t.column("last", "target"));
        assertEquals(2, t.column("3", "target"));
    }

    @Test
    void gzipIsReadTransparentlyAndTsvUsesTabs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("d.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("x\ty\n1\t2\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(TableReader.isTableFile(file.getFileName().toString()));
        Table t = TableReader.read(file, CsvReader.Format.DEFAULT);
        assertEquals(List.of("x", "y"), t.names());
        assertEquals("2", t.cell(0, 1));
    }

    @Test
    void raggedRowNamesRowAndLine() {
        DescentException e = assertThrows(DescentException.class, () -> csv("a,b,c\n1,2,3\n4,5\n"));
        assertTrue(e.getMessage().contains("t.csv row 2 (line 3) has 2 cells but the header has 3 columns"), e.getMessage());
    }

    @Test
    void emptyFileHeaderOnlyAndUnclosedQuoteAreErrors() {
        assertTrue(assertThrows(DescentException.class, () -> csv("")).getMessage().contains("t.csv is empty"));
        assertTrue(assertThrows(DescentException.class, () -> csv("\n\n")).getMessage().contains("is empty"));
        assertTrue(assertThrows(DescentException.class, () -> csv("a,b\n")).getMessage().contains("no data rows"));
        String unclosed = assertThrows(DescentException.class, () -> csv("a,b\n1,\"x\n")).getMessage();
        assertTrue(unclosed.contains("line 2") && unclosed.contains("never closed"), unclosed);
    }

    @Test
    void notUtf8IsAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, new byte[] {'a', '\n', (byte) 0xE9, '\n'});
        assertTrue(assertThrows(DescentException.class, () -> TableReader.read(file, CsvReader.Format.DEFAULT))
                .getMessage().contains("not UTF-8"));
    }

    @Test
    void typesAreInferredAndAFewNonNumbersInANumericColumnFailNamingTheCell() {
        Table t = csv("n,c,b\n1.5,red,yes\n-2e3,blue,No\n,green,\n");
        assertEquals(ColumnType.NUMERIC, t.type(0));
        assertEquals(ColumnType.CATEGORICAL, t.type(1));
        assertEquals(ColumnType.BOOLEAN, t.type(2));
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            text.append(i == 17 ? "abc" : Integer.toString(i)).append(",1\n");
        }
        String message = assertThrows(DescentException.class, () -> csv(text.toString()).type(0)).getMessage();
        assertTrue(message.contains("t.csv row 18 (line 19), column 'x': 'abc' is not a number"), message);
        assertTrue(message.contains("--categorical x"), message);
    }

    @Test
    void unknownColumnListsTheColumns() {
        String message = assertThrows(DescentException.class, () -> csv("a,b\n1,2\n").column("y", "target")).getMessage();
        assertEquals("target column 'y' is not in t.csv; its columns are: a, b", message);
    }
}
