package dev.monkeytown.dispatcher.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathFilterTest {

    @ParameterizedTest
    @CsvSource({
            "docs/**, docs/a.md, true",
            "docs/**, docs/guide/deep/a.md, true",
            "docs/**, docs, false",
            "docs/**, src/docs/a.md, false",
            "docs/**, documentation/a.md, false",
            "src/*.java, src/A.java, true",
            "src/*.java, src/pkg/A.java, false",
            "src/*.java, src/A.kt, false",
            "**/*.java, src/pkg/A.java, true",
            "**/*.java, A.java, false",
            "*.md, README.md, true",
            "*.md, docs/README.md, false",
            "src/**/test/*.java, src/a/b/test/T.java, true",
            "src/**/test/*.java, src/a/b/main/T.java, false",
            "'{src,docs}/**', docs/x.md, true",
            "'{src,docs}/**', build/x, false",
            "pom.xml, pom.xml, true",
            "pom.xml, agent/pom.xml, false"
    })
    void matchesGlobs(String pattern, String changedPath, boolean expected) {
        assertEquals(expected, PathFilter.of(List.of(pattern)).matches(changedPath));
    }

    @Test
    void anyChangedPathMatchingAnyPatternIsEnough() {
        PathFilter filter = PathFilter.of(List.of("docs/**", "src/*.java"));
        assertTrue(filter.matches(List.of("README.md", "src/Main.java")));
        assertTrue(filter.matches(List.of("docs/x/y.md")));
        assertFalse(filter.matches(List.of("README.md", "src/pkg/Main.java")));
        assertFalse(filter.matches(List.of()));
    }

    @Test
    void noPatternsMatchNothing() {
        assertFalse(PathFilter.of(List.of()).matches(List.of("anything", "docs/a.md")));
    }

    @Test
    void invalidGlobsAreRejectedWithThePattern() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of("docs/**", "src/[a-")));
        assertTrue(bad.getMessage().contains("'src/[a-'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PathFilter.of(List.of(" ")));
        IllegalArgumentException absolute = assertThrows(IllegalArgumentException.class,
                () -> PathFilter.of(List.of("/docs/**")));
        assertTrue(absolute.getMessage().contains("relative"), absolute.getMessage());
    }

    @Test
    void keepsPatternsInDeclaredOrder() {
        assertEquals(List.of("src/**", "docs/**"), PathFilter.of(List.of("src/**", "docs/**")).patterns());
    }
}
