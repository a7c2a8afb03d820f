package dev.monkeytown.build.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which Actions artifacts (each unpacked under its name) the outputs globs could take files from. */
class OutputGlobsTest {

    @Test
    void aFolderIsSkippedOnlyWhenNoGlobCanReachBelowIt() {
        OutputGlobs dist = new OutputGlobs(List.of("dist/**"));
        assertTrue(dist.mayMatchUnder("dist"));
        assertFalse(dist.mayMatchUnder("logs"));
        assertFalse(dist.mayMatchUnder("dist-extra"));

        assertTrue(new OutputGlobs(List.of("dist*/**")).mayMatchUnder("dist-extra"));
        assertTrue(new OutputGlobs(List.of("{dist,site}/*.html")).mayMatchUnder("site"));
        assertFalse(new OutputGlobs(List.of("{dist,site}/*.html")).mayMatchUnder("logs"));
        assertTrue(new OutputGlobs(List.of("[a-d]ist/**")).mayMatchUnder("dist"));
        // a slash inside braces, or ** first: anything may match, so everything is taken
        assertTrue(new OutputGlobs(List.of("{dist/app,out}/**")).mayMatchUnder("logs"));
        assertTrue(new OutputGlobs(List.of("**/*.jar")).mayMatchUnder("logs"));
        assertTrue(new OutputGlobs(List.of("**")).mayMatchUnder("logs"));
        // a glob without a folder names top-level files, which no artifact unpacks to
        assertFalse(new OutputGlobs(List.of("*.txt", "site.tar")).mayMatchUnder("logs"));
        assertFalse(new OutputGlobs(List.of()).mayMatchUnder("dist"));
    }
}
