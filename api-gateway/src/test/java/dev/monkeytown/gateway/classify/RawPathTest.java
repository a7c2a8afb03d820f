package dev.monkeytown.gateway.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/../q/metrics", "/api/v1/agents/./x", "/api/v1/agents/..", "/api/v1/agents/%2e%2e/x",
            "/api/v1/agents/%2E./x", "/api/v1/agents/..%2f..%2f", "/api/v1/agents/a%2Fb", "/api/v1/agents/a%5cb",
            "/api/v1/agents/%252e%252e/x", "/api/v1/agents/%00", "/api/v1/agents/a%1fb", "/api/v1//agents",
            "/api/v1/agents\\x", "/api/v1/agents/\u0001", "/api/v1/agents/%zz", "/api/v1/agents/%2", "relative",
            "/api/v1/agents/a;b", "/api/v1/agents/a%3bb", "/api/v1/agents/%C1%A1", "/api/v1/agents/%FF"})
    void refuses(String path) {
        assertTrue(RawPath.defect(path).isPresent(), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/agents", "/api/v1/agents/greeter/runs", "/api/v1/runs/r-1.log",
            "/api/v1/artifacts/sha256:abc/content", "/api/v1/agents/a%20b", "/api/v1/agents/...", "/q/metrics", "/"})
    void accepts(String path) {
        assertEquals(Optional.empty(), RawPath.defect(path), path);
    }
}
