package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.io.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The table of every stored training setting: its key (the {@code config.json} key, and the
 * command-line flag with {@code _} written {@code -}), its type, its default, the values it
 * accepts, the data it applies to, and whether a resumed run may change it. Everything that
 * checks, stores, restores or compares settings reads this table, so a new setting is one row.
 *
 * <p>Defaults that differ for tables (a smaller batch, more epochs, more patience, a constant
 * learning rate) are the row's {@code tableDefault}; those that differ for text are in
 * {@link #TEXT_DEFAULTS} (the character model of the PyTorch reference: batch 64, Adam at
 * 2e-3 with a constant schedule, gradient clipping at norm 1, 10 epochs). {@code null} means
 * "not set" (for {@link #LR}: the optimizer's own training rate; for {@link #MODEL}: built from
 * {@link #LAYERS}, {@link #ACTIVATION} and {@link #DROPOUT}, or for text
 * {@code embedding(V,64) lstm(256,seq=true) dense(V)} over the vocabulary of V characters).
 */
public enum Setting {
    DATASET(Type.TEXT, "mnist", null, Resume.FIXED, DataKind.ALL, v -> !((String) v).isBlank(), "must not be empty"),
    DATA_DIR(Type.TEXT, null, null, Resume.CHANGEABLE, EnumSet.of(DataKind.IMAGES), v -> true, ""),
    LIMIT(Type.INT, 0, null, Resume.FIXED, DataKind.ALL, v -> (int) v >= 0, "must be 0 (all) or more"),
    MODEL(Type.TEXT, null, null, Resume.FIXED, DataKind.ALL, v -> !((String) v).isBlank(), "must not be empty"),
    LAYERS(Type.INTS, new int[] {512, 256}, new int[] {256}, Resume.FIXED, DataKind.NOT_TEXT,
            v -> Arrays.stream((int[]) v).allMatch(n -> n >= 1 && n <= 1 << 20), "must be widths from 1 to 1048576"),
    ACTIVATION(Type.TEXT, "relu", null, Resume.FIXED, DataKind.NOT_TEXT, v -> !((String) v).isBlank(), "must not be empty"),
    DROPOUT(Type.DOUBLE, 0.2, 0.1, Resume.FIXED, DataKind.NOT_TEXT, v -> (double) v >= 0 && (double) v < 1, "must be in [0, 1)"),
    OUTPUT_INIT(Type.BOOLEAN, false, null, Resume.FIXED, EnumSet.of(DataKind.IMAGES), v -> true, ""),
    INIT_CONSTANT(Type.DOUBLE, null, null, Resume.FIXED, DataKind.ALL, v -> true, ""),
    OPTIMIZER(Type.TEXT, "adam", null, Resume.FIXED, DataKind.ALL, v -> !((String) v).isBlank(), "must not be empty"),
    OPT(Type.TEXT, "", null, Resume.FIXED, DataKind.ALL, v -> true, ""),
    LR(Type.DOUBLE, null, null, Resume.FIXED, DataKind.ALL, v -> (double) v > 0, "must be positive"),
    SCHEDULE(Type.TEXT, "cosine", "constant", Resume.FIXED, DataKind.ALL,
            v -> v.equals("constant") || v.equals("cosine"), "must be constant or cosine"),
    CLIP_NORM(Type.DOUBLE, 0.0, null, Resume.FIXED, DataKind.ALL, v -> (double) v >= 0, "must be 0 (off) or positive"),
    BATCH_SIZE(Type.INT, 128, 32, Resume.FIXED, DataKind.ALL, v -> (int) v >= 1 && (int) v <= 1 << 20,
            "must be from 1 to 1048576"),
    EPOCHS(Type.INT, 15, 200, Resume.CHANGEABLE, DataKind.ALL, v -> (int) v >= 1 && (int) v <= 1_000_000,
            "must be from 1 to 1000000"),
    MAX_STEPS(Type.LONG, 0L, null, Resume.CHANGEABLE, DataKind.ALL, v -> (long) v >= 0, "must be 0 (no limit) or more"),
    PATIENCE(Type.INT, 3, 10, Resume.FIXED, DataKind.ALL, v -> (int) v >= 0, "must be 0 (off) or more"),
    MIN_DELTA(Type.DOUBLE, 0.0, null, Resume.FIXED, DataKind.ALL, v -> (double) v >= 0, "must be 0 or more"),
    VALIDATION(Type.DOUBLE, 0.1, null, Resume.FIXED, DataKind.NOT_TEXT, v -> (double) v >= 0 && (double) v < 1, "must be in [0, 1)"),
    STRATIFY(Type.BOOLEAN, false, null, Resume.FIXED, EnumSet.of(DataKind.IMAGES), v -> true, ""),
    L1(Type.DOUBLE, 0.0, null, Resume.FIXED, DataKind.ALL, v -> (double) v >= 0, "must be 0 or more"),
    L2(Type.DOUBLE, 0.0, null, Resume.FIXED, DataKind.ALL, v -> (double) v >= 0, "must be 0 or more"),
    AUGMENT(Type.TEXT, "", null, Resume.FIXED, EnumSet.of(DataKind.IMAGES), v -> true, ""),
    SEED(Type.LONG, 42L, null, Resume.FIXED, DataKind.ALL, v -> true, ""),
    THREADS(Type.INT, null, null, Resume.CHANGEABLE, DataKind.ALL, v -> (int) v >= 1 && (int) v <= 4096, "must be from 1 to 4096"),
    SEQ_LEN(Type.INT, 100, null, Resume.FIXED, EnumSet.of(DataKind.TEXT), v -> (int) v >= 1 && (int) v <= 100_000,
            "must be from 1 to 100000"),
    TARGET(Type.TEXT, "last", null, Resume.FIXED, EnumSet.of(DataKind.TABLE), v -> !((String) v).isBlank(), "must not be empty"),
    CATEGORICAL(Type.TEXTS, List.of(), null, Resume.FIXED, EnumSet.of(DataKind.TABLE), v -> true, ""),
    IGNORE(Type.TEXTS, List.of(), null, Resume.FIXED, EnumSet.of(DataKind.TABLE), v -> true, ""),
    FEATURES(Type.TEXTS, List.of(), null, Resume.FIXED, EnumSet.of(DataKind.TABLE), v -> true, ""),
    MISSING(Type.TEXT, "impute", null, Resume.FIXED, EnumSet.of(DataKind.TABLE),
            v -> v.equals("impute") || v.equals("error"), "must be impute or error"),
    TASK(Type.TEXT, null, null, Resume.FIXED, EnumSet.of(DataKind.TABLE),
            v -> v.equals("classification") || v.equals("regression"), "must be classification or regression"),
    ALGORITHM(Type.TEXT, "mlp", null, Resume.FIXED, EnumSet.of(DataKind.TABLE),
            v -> Learners.names().contains((String) v), "must be one of the algorithms (mlp, tree, gbdt)"),
    TEST_SIZE(Type.DOUBLE, 0.2, null, Resume.FIXED, EnumSet.of(DataKind.TABLE), v -> (double) v > 0 && (double) v < 1,
            "must be in (0, 1)"),
    NO_HEADER(Type.BOOLEAN, false, null, Resume.FIXED, EnumSet.of(DataKind.TABLE), v -> true, ""),
    DELIMITER(Type.TEXT, null, null, Resume.FIXED, EnumSet.of(DataKind.TABLE),
            v -> v.equals("tab") || v.equals("\\t") || ((String) v).length() == 1, "must be one character or tab");

    /** The defaults that differ for text ({@link DataKind#TEXT}). */
    private static final java.util.Map<Setting, Object> TEXT_DEFAULTS = java.util.Map.of(BATCH_SIZE, 64, LR, 2e-3,
            SCHEDULE, "constant", CLIP_NORM, 1.0, EPOCHS, 10);

    /** The kinds of value a setting holds, and how each is read from JSON or the command line. */
    enum Type {
        TEXT, INT, LONG, DOUBLE, BOOLEAN, INTS, TEXTS
    }

    /** Whether {@code --resume} may change a setting. */
    enum Resume {
        /** Fixed by the first run: a different value given with {@code --resume} is refused. */
        FIXED,
        /** May change when resuming (more epochs, another thread count, the data's new folder). */
        CHANGEABLE
    }

    private final Type type;
    private final Object defaultValue;
    private final Object tableDefault;
    private final Resume resume;
    private final Set<DataKind> appliesTo;
    private final Predicate<Object> valid;
    private final String wants;

    Setting(Type type, Object defaultValue, Object tableDefault, Resume resume, Set<DataKind> appliesTo,
            Predicate<Object> valid, String wants) {
        this.type = type;
        this.defaultValue = defaultValue;
        this.tableDefault = tableDefault;
        this.resume = resume;
        this.appliesTo = appliesTo;
        this.valid = valid;
        this.wants = wants;
    }

    /** The {@code config.json} key: {@code batch_size}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The command-line flag: {@code --batch-size}. */
    public String flag() {
        return "--" + key().replace('_', '-');
    }

    /** Whether a resumed run may give it another value. */
    public boolean changeableOnResume() {
        return resume == Resume.CHANGEABLE;
    }

    /** The kinds of data it applies to. */
    public Set<DataKind> appliesTo() {
        return appliesTo;
    }

    /** The default for data of {@code kind}, or null when unset by default. */
    public Object defaultFor(DataKind kind) {
        if (kind == DataKind.TEXT && TEXT_DEFAULTS.containsKey(this)) {
            return TEXT_DEFAULTS.get(this);
        }
        return kind == DataKind.TABLE && tableDefault != null ? tableDefault : defaultValue;
    }

    /** The setting with this key or flag ({@code batch_size}, {@code --batch-size}), or null. */
    public static Setting byName(String name) {
        String key = (name.startsWith("--") ? name.substring(2) : name).replace('-', '_').toUpperCase(Locale.ROOT);
        for (Setting s : values()) {
            if (s.name().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /**
     * {@code value} in this setting's Java type ({@link String}, {@link Integer}, {@link Long},
     * {@link Double}, {@link Boolean}, {@code int[]}, {@code List<String>}), from a Java value, a
     * command-line value or a JSON value, after checking it.
     *
     * @throws DescentException naming the flag when the value is of the wrong kind or out of range
     */
    Object accept(Object value) {
        Object v;
        try {
            v = convert(value);
        } catch (ClassCastException | IllegalArgumentException | ArithmeticException e) {
            throw new DescentException(flag() + " must be " + typeName() + ", got " + Json.write(jsonValue(value)));
        }
        if (!valid.test(v)) {
            throw new DescentException(flag() + " " + wants + ", got " + Json.write(toJson(v)));
        }
        return v;
    }

    private Object convert(Object value) {
        return switch (type) {
            case TEXT -> value instanceof java.nio.file.Path p ? p.toString() : (String) value;
            case INT -> Math.toIntExact(whole(value));
            case LONG -> whole(value);
            case DOUBLE -> finite(value);
            case BOOLEAN -> (Boolean) value;
            case INTS -> value instanceof int[] a ? a.clone()
                    : ((List<?>) value).stream().mapToInt(x -> Math.toIntExact(whole(x))).toArray();
            case TEXTS -> ((List<?>) value).stream().map(x -> (String) x).toList();
        };
    }

    private static long whole(Object value) {
        double d = ((Number) value).doubleValue();
        if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
            throw new IllegalArgumentException("not whole");
        }
        return ((Number) value).longValue();
    }

    private static double finite(Object value) {
        double d = value instanceof String s ? Json.toDouble(s) : ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
        }
        return d;
    }

    private String typeName() {
        return switch (type) {
            case TEXT -> "text";
            case INT, LONG -> "a whole number";
            case DOUBLE -> "a finite number";
            case BOOLEAN -> "true or false";
            case INTS -> "a list of whole numbers";
            case TEXTS -> "a list of names";
        };
    }

    /** The JSON form of a value of this setting (lists for arrays). */
    public Object toJson(Object value) {
        return value instanceof int[] a ? Arrays.stream(a).boxed().toList() : value;
    }

    private static Object jsonValue(Object value) {
        return value instanceof int[] a ? Arrays.stream(a).boxed().toList() : value == null ? "null" : value.toString();
    }

    /** Whether two values of this setting are the same. */
    boolean same(Object a, Object b) {
        return a instanceof int[] x && b instanceof int[] y ? Arrays.equals(x, y) : java.util.Objects.equals(a, b);
    }

    /** The settings among {@code given} that do not apply to {@code kind}, as "--flag" names. */
    static List<String> notApplying(Set<Setting> given, DataKind kind) {
        List<String> out = new ArrayList<>();
        for (Setting s : given) {
            if (!s.appliesTo.contains(kind)) {
                out.add(s.flag());
            }
        }
        return out;
    }
}
