package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing the matmul backend: the property or variable, the providers found, the fallbacks. */
class MatmulBackendsTest {
    private final List<String> notices = new ArrayList<>();

    /** A provider that counts as found but fails the product: it must never be chosen where these tests expect java. */
    private record Named(String name) implements MatmulBackend {
        @Override
        public String describe() {
            return name + " (test)";
        }

        @Override
        public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                             float[] c, int cOff, int m, int k, int n) {
            throw new UnsupportedOperationException("test backend");
        }
    }

    private static Supplier<MatmulBackend> provider(String name) {
        return () -> new Named(name);
    }

    private MatmulBackend choose(String requested, List<Supplier<MatmulBackend>> providers) {
        return MatmulBackends.choose(requested, providers, notices::add);
    }

    @Test
    void withoutProvidersOrRequestTheBuiltInKernelIsUsedSilently() {
        assertSame(MatmulBackend.builtIn(), choose(null, List.of()));
        assertSame(MatmulBackend.builtIn(), choose("  ", List.of()));
        assertEquals(List.of(), notices);
    }

    @Test
    void theCoreTestClassPathHasNoProviderSoJavaIsSelected() {
        assertEquals("java", MatmulBackend.selected().name());
        assertTrue(MatmulBackend.selected().describe().startsWith("java (Gemm, packed "), MatmulBackend.selected().describe());
    }

    @Test
    void anUnsetRequestTakesTheFirstProvider() {
        assertEquals(new Named("openblas"), choose(null, List.of(provider("openblas"), provider("other"))));
        assertEquals(List.of(), notices);
    }

    @Test
    void javaForcesTheBuiltInKernelWithoutLoadingProviders() {
        Supplier<MatmulBackend> exploding = () -> {
            throw new AssertionError("a provider was loaded although java was requested");
        };
        assertSame(MatmulBackend.builtIn(), choose("java", List.of(exploding)));
        assertSame(MatmulBackend.builtIn(), choose(" JAVA ", List.of(exploding)));
        assertEquals(List.of(), notices);
    }

    @Test
    void aNamedProviderIsPickedAmongSeveral() {
        assertEquals(new Named("other"), choose("other", List.of(provider("openblas"), provider("other"))));
        assertEquals(List.of(), notices);
    }

    @Test
    void anAbsentNamedProviderGivesOneNoticeAndTheBuiltInKernel() {
        assertSame(MatmulBackend.builtIn(), choose("openblas", List.of(provider("other"))));
        assertEquals(1, notices.size());
        String notice = notices.get(0);
        assertTrue(notice.startsWith("descent: notice: no matmul backend named 'openblas'"), notice);
        assertTrue(notice.contains("have: java, other"), notice);
        assertTrue(!notice.contains("\n"), notice);
    }

    @Test
    void aProviderThatFailsToLoadIsSkippedWithOneNotice() {
        Supplier<MatmulBackend> broken = () -> {
            throw new ServiceConfigurationError("provider broken",
                    new UnsatisfiedLinkError("no jniopenblas in java.library.path\nsecond line"));
        };
        assertEquals(new Named("other"), choose(null, List.of(broken, provider("other"))));
        assertEquals(1, notices.size());
        String notice = notices.get(0);
        assertTrue(notice.startsWith("descent: notice: a matmul backend failed to load (no jniopenblas in java.library.path)"), notice);
        notices.clear();
        assertSame(MatmulBackend.builtIn(), choose(null, List.of(broken)));
        assertEquals(1, notices.size());
    }

    @Test
    void theBuiltInBackendComputesTheProduct() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2x3
        float[] b = {1, 0, 0, 1, 1, 1}; // 3x2
        float[] c = new float[5];
        MatmulBackend.builtIn().multiply(a, 0, false, b, 0, false, c, 1, 2, 3, 2);
        assertEquals(List.of(0f, 4f, 5f, 10f, 11f), List.of(c[0], c[1], c[2], c[3], c[4]));
    }
}
