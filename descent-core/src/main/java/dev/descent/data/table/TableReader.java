package dev.descent.data.table;

import dev.descent.DescentException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a table file by its name: {@code .arff} with {@link ArffReader}, anything else
 * ({@code .csv}, {@code .tsv}, {@code .txt}) with {@link CsvReader}; a {@code .gz} file (or any
 * file starting with the gzip magic bytes) is decompressed first. Text must be UTF-8; a byte
 * order mark is skipped. A table is read whole into memory, so its text (decompressed) may be
 * at most {@value #MAX_TEXT_BYTES} bytes (1 GiB).
 */
public final class TableReader {
    /** The longest table text read, in bytes. */
    public static final int MAX_TEXT_BYTES = 1 << 30;

    private TableReader() {
    }

    /**
     * True for the file names of tables: .csv, .tsv, .arff, optionally .gz, and .parquet (read
     * through Spark: {@code train --spark}).
     */
    public static boolean isTableFile(String name) {
        String n = stripGz(name.toLowerCase(Locale.ROOT));
        return n.endsWith(".csv") || n.endsWith(".tsv") || n.endsWith(".arff") || isParquet(name);
    }

    /** True for a Parquet file or folder name ({@code .parquet}). */
    public static boolean isParquet(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("/+$", "").endsWith(".parquet");
    }

    /**
     * Reads {@code file}; {@code format} sets the CSV delimiter and header (ARFF files declare
     * their own columns). A TSV file defaults to the tab delimiter.
     */
    public static Table read(Path file, CsvReader.Format format) {
        String name = file.getFileName().toString();
        if (isParquet(name)) {
            throw new DescentException(name + " is a Parquet table, which Descent reads through Spark: train with"
                    + " --spark MASTER, or convert it to CSV");
        }
        String text = text(file);
        String plain = stripGz(name.toLowerCase(Locale.ROOT));
        if (plain.endsWith(".arff")) {
            return ArffReader.parse(name, text);
        }
        CsvReader.Format f = plain.endsWith(".tsv") && format.delimiter() == null
                ? new CsvReader.Format('\t', format.header()) : format;
        return CsvReader.parse(name, text, f);
    }

    /** The file's text: gunzipped when compressed, decoded as strict UTF-8, without a BOM. */
    static String text(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_TEXT_BYTES) {
                throw tooLarge(file);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DescentException("no such file: " + file + "; check the path");
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); check the path and permissions", e);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readNBytes(MAX_TEXT_BYTES);
                if (in.read() >= 0) {
                    throw tooLarge(file);
                }
            } catch (IOException e) {
                throw new DescentException(file + " is not a valid gzip file (" + e.getMessage() + "); decompress it or"
                        + " download it again", e);
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DescentException(file + " is not UTF-8 text; convert it to UTF-8 (e.g. iconv -t UTF-8)", e);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static DescentException tooLarge(Path file) {
        return new DescentException(file + " holds more than " + MAX_TEXT_BYTES + " bytes of text (1 GiB), more than"
                + " Descent reads into memory; use a sample of the rows");
    }

    private static String stripGz(String name) {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
