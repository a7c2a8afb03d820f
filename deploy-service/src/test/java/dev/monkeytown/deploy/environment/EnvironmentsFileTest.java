package dev.monkeytown.deploy.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class EnvironmentsFileTest {

    @Test
    void theIssuesExampleIsRead() {
        EnvironmentCatalog catalog = EnvironmentsFile.parse("r",
                """
                        environments:
                          staging:    {branch: main, autoDeploy: true,  requires: [app], command: ./deploy.sh, health: ./health.sh, onFailure: revert}
                          production: {branch: main, production: true, approval: true, requires: [app], command: ./deploy.sh, health: ./health.sh, onFailure: alert}
                        """);
        assertEquals(List.of(), catalog.problems());
        Environment staging = catalog.environment("staging").orElseThrow();
        assertTrue(staging.autoDeploy());
        assertFalse(staging.approval());
        assertEquals(List.of("app"), staging.requires());
        assertEquals(Optional.of("./health.sh"), staging.health());
        assertEquals(Environment.OnFailure.REVERT, staging.onFailure());
        assertEquals("environments/staging", staging.environmentBranch());
        Environment production = catalog.environment("production").orElseThrow();
        assertTrue(production.production());
        assertTrue(production.approval());
        assertFalse(production.autoDeploy());
        assertEquals(Environment.OnFailure.ALERT, production.onFailure());
        assertEquals(Environment.DEFAULT_TIMEOUT, production.timeout());
    }

    @Test
    void aBadEntryIsListedAndOnlyItIsSkipped() {
        EnvironmentCatalog catalog = EnvironmentsFile.parse("r", """
                environments:
                  good: {command: ./deploy.sh, timeout: 90s}
                  typo: {command: ./deploy.sh, aproval: true}
                  nocommand: {branch: main}
                  Bad_Name: {command: x}
                  flag: {command: x, approval: "yes"}
                  failure: {command: x, onFailure: retry}
                  slow: {command: x, timeout: 2h}
                  pipes: {command: x, requires: [App]}
                  blank: {command: x, health: " "}
                """);
        assertEquals(List.of("good"), List.copyOf(catalog.environments().keySet()));
        assertEquals(Duration.ofSeconds(90), catalog.environment("good").orElseThrow().timeout());
        assertEquals(8, catalog.problems().size(), catalog.problems().toString());
        EnvironmentProblem typo = catalog.problems().stream().filter(p -> "typo".equals(p.environment())).findFirst()
                .orElseThrow();
        assertEquals("aproval", typo.field());
        assertTrue(typo.describe().contains(".monkeytown/environments.yaml: environment 'typo': aproval"));
        assertTrue(catalog.problems().stream().anyMatch(p -> "onFailure".equals(p.field())
                && p.message().contains("revert or alert")));
    }

    @Test
    void aBrokenFileIsOneProblemNeverAnException() {
        assertEquals(1, EnvironmentsFile.parse("r", "environments: [unclosed").problems().size());
        assertEquals(1, EnvironmentsFile.parse("r", "- a list").problems().size());
        assertEquals(1, EnvironmentsFile.parse("r", "environments: {a: {command: x}, a: {command: y}}").problems()
                .size());
        EnvironmentCatalog other = EnvironmentsFile.parse("r", "pipelines: {}\n");
        assertTrue(other.problems().get(0).message().contains("unknown top-level key 'pipelines'"));
        assertTrue(EnvironmentsFile.parse("r", "").environments().isEmpty());
        assertTrue(EnvironmentsFile.parse("r", "").problems().isEmpty());
    }

    @Test
    void theSeededExampleHasNoProblem() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/example-repository/environments.yaml")) {
            EnvironmentCatalog catalog = EnvironmentsFile.parse("r", new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            assertEquals(List.of(), catalog.problems());
            assertEquals(List.of("production", "staging"), List.copyOf(catalog.environments().keySet()));
            assertEquals(List.of("site"), catalog.environment("staging").orElseThrow().requires());
        }
    }
}
