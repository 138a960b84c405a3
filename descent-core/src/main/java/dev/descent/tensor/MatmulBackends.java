package dev.descent.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Finds the {@link MatmulBackend} providers once and picks one, as {@link MatmulBackend} describes. */
final class MatmulBackends {
    static final MatmulBackend JAVA = new GemmBackend();
    static final MatmulBackend SELECTED = choose(requested(), providers(), System.err::println);

    private MatmulBackends() {
    }

    /** The system property {@code descent.matmul}, else {@code DESCENT_MATMUL}, else null. */
    private static String requested() {
        return System.getProperty("descent.matmul", System.getenv("DESCENT_MATMUL"));
    }

    private static List<Supplier<MatmulBackend>> providers() {
        List<Supplier<MatmulBackend>> found = new ArrayList<>();
        try {
            ServiceLoader.load(MatmulBackend.class).stream().forEach(found::add);
        } catch (ServiceConfigurationError e) {
            System.err.println(loadFailed(e));
        }
        return found;
    }

    /**
     * The backend named {@code requested} ({@code java} is the built-in one), or the first
     * provider that loads when {@code requested} is null or blank, else the built-in one. A
     * provider that throws while loading, or a requested name that no provider has, is
     * reported to {@code notices} in one line and skipped.
     */
    static MatmulBackend choose(String requested, List<? extends Supplier<MatmulBackend>> providers,
                                Consumer<String> notices) {
        String wanted = requested == null ? "" : requested.trim();
        if (wanted.equalsIgnoreCase(JAVA.name())) {
            return JAVA;
        }
        List<String> names = new ArrayList<>(List.of(JAVA.name()));
        for (Supplier<MatmulBackend> provider : providers) {
            MatmulBackend backend;
            try {
                backend = provider.get();
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                notices.accept(loadFailed(e));
                continue;
            }
            if (wanted.isEmpty() || wanted.equalsIgnoreCase(backend.name())) {
                return backend;
            }
            names.add(backend.name());
        }
        if (!wanted.isEmpty()) {
            notices.accept("descent: notice: no matmul backend named '" + wanted + "' on the class path (have: "
                    + String.join(", ", names) + "); using " + JAVA.name());
        }
        return JAVA;
    }

    private static String loadFailed(Throwable e) {
        return "descent: notice: a matmul backend failed to load (" + oneLine(e) + "); using the others or "
                + JAVA.name() + " (set DESCENT_MATMUL=java to skip it)";
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("");
    }

    /** The built-in kernel: {@link Gemm}. */
    private static final class GemmBackend implements MatmulBackend {
        @Override
        public String name() {
            return "java";
        }

        @Override
        public String describe() {
            return "java (Gemm, packed " + Gemm.MR + "x" + Gemm.NR + " FMA kernel)";
        }

        @Override
        public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                             float[] c, int cOff, int m, int k, int n) {
            Gemm.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n);
        }
    }
}
