package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Requests and waits the fault tests share. */
final class Seeds {

    static final String COMMIT = """
            mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }""";

    private Seeds() {
    }

    /** Variables for one createCommitOnBranch adding {@code path} on {@code acme/town}'s {@code branch}. */
    static Map<String, Object> commit(String branch, String expectedHead, String path) {
        Map<String, Object> addition = Map.of("path", path, "contents",
                Base64.getEncoder().encodeToString(path.getBytes()));
        return Map.of("input", Map.of("branch", Map.of("repositoryNameWithOwner", "acme/town", "branchName", branch),
                "expectedHeadOid", expectedHead, "message", Map.of("headline", "add " + path), "fileChanges",
                Map.of("additions", List.of(addition))));
    }

    /** Waits (bounded) for something the double does later; fails if it never happens. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }
}
