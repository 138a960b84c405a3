package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.table.TableReader;
import dev.descent.data.text.TextCorpus;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a training run learns from: images (MNIST and other IDX sets), a table file, or a text file. */
public enum DataKind {
    /** MNIST or another IDX image set: {@code mnist}, {@code idx}. */
    IMAGES,
    /** A CSV, TSV or ARFF file (optionally gzipped). */
    TABLE,
    /** A plain text file ({@code .txt}) for a character-level language model. */
    TEXT;

    /** Every kind. */
    static final Set<DataKind> ALL = EnumSet.allOf(DataKind.class);
    /** Images and tables: the settings of a multilayer perceptron and of a validation share. */
    static final Set<DataKind> NOT_TEXT = EnumSet.of(IMAGES, TABLE);

    /** The kind of the data set named {@code dataset}: mnist, idx, FILE.csv/.tsv/.arff[.gz] or .parquet, FILE.txt or a named text (kjv). */
    public static DataKind of(String dataset) {
        if (dataset.equals("mnist") || dataset.equals("idx")) {
            return IMAGES;
        }
        if (TableReader.isTableFile(dataset)) {
            return TABLE;
        }
        if (dataset.toLowerCase(Locale.ROOT).endsWith(".txt") || TextCorpus.NAMED.contains(dataset)) {
            return TEXT;
        }
        throw new DescentException("unknown data set '" + dataset + "'; give mnist, idx (with --data-dir), a table file"
                + " (.csv, .tsv, .arff, optionally .gz; .parquet with --spark), a text file (.txt) or kjv");
    }

    /** "images", "a table", "text". */
    String describe() {
        return switch (this) {
            case IMAGES -> "images";
            case TABLE -> "a table";
            case TEXT -> "text";
        };
    }
}
