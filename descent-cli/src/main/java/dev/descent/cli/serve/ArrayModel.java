package dev.descent.cli.serve;

import dev.descent.DescentException;
import dev.descent.data.ImageFiles;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.Prediction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network trained on arrays: images {@code [C, H, W]} (as {@code descent train mnist} makes)
 * or vectors and other shapes (trained through the Java API). An image instance is its raw pixel
 * values 0–255, as one flat list of {@code C·H·W} numbers or nested {@code [C][H][W]} (or
 * {@code [H][W]} for one channel), divided by 255 as {@code descent predict} divides an IDX
 * file's bytes; or {@code {"b64": "..."}}, a base64 PNG/JPEG/GIF/BMP file read as
 * {@code descent predict} reads an image file (gray, resized, inverted when its background is
 * light). Other arrays are given as the model takes them, flat or nested to its shape. The model
 * applies its own normalization.
 */
final class ArrayModel implements ServedModel {
    private static final float MAX_PIXEL = 255;

    private final Model model;
    private final int[] shape;
    private final int width;
    /** Whether inputs are images of pixel values (three axes, as the ONNX export decides too). */
    private final boolean images;

    ArrayModel(Model model) {
        this.model = model;
        this.shape = model.inputShape();
        this.width = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.images = shape.length == 3;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] encode(List<?> instances) {
        float[] rows = new float[instances.size() * width];
        for (int i = 0; i < instances.size(); i++) {
            float[] row = instances.get(i) instanceof Map<?, ?> m && m.containsKey("b64") ? image(m, i) : values(instances.get(i), i);
            System.arraycopy(row, 0, rows, i * width, width);
        }
        return rows;
    }

    @Override
    public Prediction predict(float[] rows, int n) {
        int[] batch = new int[shape.length + 1];
        batch[0] = n;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        return model.predict(Tensor.wrap(rows, batch));
    }

    /** A base64 image file, for a model of one gray channel. */
    private float[] image(Map<?, ?> instance, int i) {
        if (!images || shape[0] != 1 || instance.size() != 1) {
            throw new DescentException("instance " + i + ": " + (images && shape[0] == 1
                    ? "give {\"b64\": \"...\"} alone, with no other keys"
                    : "this model takes " + describe() + ", not image files; give the values as a list"));
        }
        if (!(instance.get("b64") instanceof String text)) {
            throw new DescentException("instance " + i + ": \"b64\" must be a string holding a base64-encoded PNG or JPEG file");
        }
        byte[] bytes;
        try {
            String compact = text.replaceAll("\\s", ""); // line breaks of MIME-style base64
            bytes = (compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                    .decode(compact);
        } catch (IllegalArgumentException e) {
            throw new DescentException("instance " + i + ": \"b64\" is not valid base64 (" + e.getMessage()
                    + "); encode the image file with base64 (RFC 4648, standard or URL-safe alphabet)");
        }
        return ImageFiles.read(bytes, "instance " + i + "'s b64 image", shape[1], shape[2], ImageFiles.Invert.AUTO)
                .toFloatArray();
    }

    /** A flat or nested list of numbers; pixels are divided by 255. */
    private float[] values(Object instance, int i) {
        if (!(instance instanceof List<?>)) {
            throw new DescentException("instance " + i + ": give " + describe() + ", got " + kind(instance));
        }
        int[] dims = dims(instance, i);
        boolean flat = dims.length == 1, full = Arrays.equals(dims, shape),
                plane = images && shape[0] == 1 && Arrays.equals(dims, Arrays.copyOfRange(shape, 1, 3));
        if (!(flat && dims[0] == width || full || plane)) {
            throw new DescentException("instance " + i + ": give " + describe() + ", got "
                    + (flat ? dims[0] + " values" : "a nested list of shape " + nested(dims)));
        }
        float[] row = new float[width];
        copy(instance, 0, dims, row, 0, i);
        return row;
    }

    /** The lengths of the nested lists along their first elements: {@code [28, 28]} for 28 lists of 28 numbers. */
    private int[] dims(Object instance, int i) {
        List<Integer> dims = new ArrayList<>();
        for (Object v = instance; v instanceof List<?> list; v = list.isEmpty() ? null : list.get(0)) {
            if (dims.size() == shape.length) {
                throw new DescentException("instance " + i + ": lists nested deeper than the model's input " + nested(shape)
                        + "; give " + describe());
            }
            dims.add(list.size());
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Copies the numbers of the nested lists {@code value}, of shape {@code dims} from
     * {@code depth} on, into {@code row} from {@code at} (pixels divided by 255); returns the
     * next free index. Fails on a list of another length or a value that is not a number.
     */
    private int copy(Object value, int depth, int[] dims, float[] row, int at, int i) {
        if (depth == dims.length) {
            if (!(value instanceof Number number)) {
                throw new DescentException("instance " + i + ": " + (value instanceof List<?> ? "the nested lists are not"
                        + " rectangular; give " + describe() : "values must be numbers, got " + kind(value)));
            }
            float v = number.floatValue();
            if (!Float.isFinite(v) || (images && (v < 0 || v > MAX_PIXEL))) {
                throw new DescentException("instance " + i + ": " + (images ? "pixel values are 0 to 255"
                        : "values must be finite float32 numbers") + ", got " + value);
            }
            row[at] = images ? v / MAX_PIXEL : v;
            return at + 1;
        }
        if (!(value instanceof List<?> list) || list.size() != dims[depth]) {
            throw new DescentException("instance " + i + ": the nested lists are not rectangular; give " + describe());
        }
        for (Object item : list) {
            at = copy(item, depth + 1, dims, row, at, i);
        }
        return at;
    }

    private String describe() {
        String what = images ? "pixel values 0-255" : "numbers";
        String forms = images && shape[0] == 1 ? nested(shape) + " or " + nested(Arrays.copyOfRange(shape, 1, 3))
                + " lists, or {\"b64\": \"<base64 PNG or JPEG file>\"}" : nested(shape) + " lists";
        return width + " " + what + " (a flat list, nested " + forms + ")";
    }

    private static String nested(int[] dims) {
        StringBuilder s = new StringBuilder();
        for (int d : dims) {
            s.append('[').append(d).append(']');
        }
        return s.toString();
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "the text \"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\"";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "a list";
            default -> value.toString();
        };
    }

    @Override
    public Map<String, Object> metadata() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("kind", images ? "image" : "array");
        inputs.put("shape", shape);
        inputs.put("values", images ? "raw pixel values 0-255 (divided by 255, then the model's normalization)"
                : "raw values (the model applies its normalization)");
        inputs.put("accepts", describe());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", model.spec().toString());
        m.put("task", model.task().name().toLowerCase(java.util.Locale.ROOT));
        m.put("inputs", inputs);
        m.put("classes", model.classNames());
        return m;
    }
}
