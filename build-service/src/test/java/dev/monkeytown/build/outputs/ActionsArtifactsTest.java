package dev.monkeytown.build.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.engine.OutputPublisher;
import dev.monkeytown.build.engine.OutputRefusedException;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.runner.RunnerRef;

/**
 * Copying a workflow run's Actions artifacts, against the GitHub double: the download of each is bounded as a whole (a
 * storage host that stalls mid-body fails the attempt within {@code artifact-timeout}), only artifacts the pipeline's
 * {@code outputs} can name are fetched, and what a run unpacks is capped in total.
 */
class ActionsArtifactsTest {

    private static final String REPOSITORY = "acme/town";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    static Path registryHome;
    static TestRegistry registry;

    private final GitHubDouble github = GitHubDouble.start();
    private final HostedRepository repo = github.repository("acme", "town");
    private final GitHubAccess access;

    @TempDir
    Path staging;

    ActionsArtifactsTest() throws IOException {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        access = GitHubAccess.connect("ghp_artifacts-token", GitHubAccessOptions.forApi(github.apiUrl(),
                github.login()).withPacing(WritePacing.unpaced()).withRequestTimeout(Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
    }

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.start(registryHome);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private final List<ActionsArtifacts> opened = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        opened.forEach(ActionsArtifacts::close);
        github.closeRequiringValidRequests();
    }

    @Test
    void aDownloadWhoseBodyStallsFailsWithinTheArtifactTimeout() {
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-1", "main");
        github.artifacts().upload(REPOSITORY, run.id(), "dist", Map.of("index.html", new byte[64 * 1024]));
        github.artifacts().stallNextDownloads(1, Duration.ofSeconds(60));
        Build build = build(run);

        // the headers come at once and the body never ends: only a deadline on the whole download ends the wait
        IOException failed = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> assertThrows(IOException.class, () -> artifacts(registry.base(), TIMEOUT).publish(build,
                        pipeline(), build.id() + "-1")));
        assertTrue(failed.getMessage().contains("artifact-timeout"), failed.getMessage());
    }

    @Test
    void anArtifactNoOutputGlobCanMatchIsNotDownloaded() throws Exception {
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-2", "main");
        byte[] page = "<h1>site</h1>".getBytes(StandardCharsets.UTF_8);
        github.artifacts().upload(REPOSITORY, run.id(), "dist", Map.of("index.html", page));
        long logs = github.artifacts().upload(REPOSITORY, run.id(), "logs", Map.of("test.log",
                "ok".getBytes(StandardCharsets.UTF_8)));
        Build build = build(run);

        OutputPublisher.Published published = artifacts(registry.base()).publish(build, pipeline(),
                build.id() + "-1");

        assertEquals(List.of("dist/index.html"), published.outputs().stream().map(o -> o.path()).toList());
        assertEquals(0, github.ledger().requests().stream()
                .filter(r -> r.path().endsWith("/actions/artifacts/" + logs + "/zip")).count(),
                "logs/ can hold no file that dist/** matches: not downloaded");
        assertEquals(1, github.ledger().requests().stream().filter(r -> r.kind() == CallKind.TRANSFER).count());
    }

    @Test
    void whatOneRunUnpacksIsCappedInTotalNotOnlyPerArtifact() {
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-3", "main");
        // each under the 1 MiB per-artifact cap, together over the run's 96 KiB
        github.artifacts().upload(REPOSITORY, run.id(), "dist", Map.of("a.bin", random(64 * 1024)));
        github.artifacts().upload(REPOSITORY, run.id(), "dist-extra", Map.of("b.bin", random(64 * 1024)));
        Build build = build(run);
        Pipeline both = BuildsFile.parse("r", "pipelines: {site: {workflow: build.yml, outputs: [\"dist*/**\"]}}")
                .pipeline("site").orElseThrow();

        // a re-run makes the same artifacts: refused as the build's fault, not retried as infra
        IOException refused = assertThrows(OutputRefusedException.class, () -> artifacts(registry.base()).publish(
                build, both, build.id() + "-1"));
        assertTrue(refused.getMessage().contains("max-run-output-bytes"), refused.getMessage());
    }

    @Test
    void aZipOfManyEmptyEntriesIsCappedByItsCountNotItsBytes() {
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-4", "main");
        Map<String, byte[]> empty = new java.util.HashMap<>();
        for (int i = 0; i < 150; i++) {
            empty.put("f" + i + ".txt", new byte[0]); // 0 bytes: neither byte cap counts them
        }
        github.artifacts().upload(REPOSITORY, run.id(), "dist", empty);
        Build build = build(run);

        IOException refused = assertThrows(OutputRefusedException.class, () -> artifacts(registry.base()).publish(
                build, pipeline(), build.id() + "-1"));
        assertTrue(refused.getMessage().contains("max-run-output-files"), refused.getMessage());
    }

    @Test
    void anArtifactNameThatCannotBeAFolderIsRefusedBeforeItIsJudged() {
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-5", "main");
        github.artifacts().upload(REPOSITORY, run.id(), "dist\0evil", Map.of("a.txt", new byte[]{1}));
        Build build = build(run);

        // Path.of throws InvalidPathException on a NUL: the name is checked before the globs look at it
        IOException refused = assertThrows(OutputRefusedException.class, () -> artifacts(registry.base()).publish(
                build, pipeline(), build.id() + "-1"));
        assertTrue(refused.getMessage().contains("cannot be a folder"), refused.getMessage());
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes); // incompressible: the zip is as large as what it unpacks to
        return bytes;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** With a download deadline no loaded machine reaches: only the stall test meets its deadline. */
    private ActionsArtifacts artifacts(URI registryBase) {
        return artifacts(registryBase, Duration.ofSeconds(60));
    }

    private ActionsArtifacts artifacts(URI registryBase, Duration timeout) {
        RegistryOutputs outputs = new RegistryOutputs(staging, new OciPush(registryBase,
                Map.of("X-Monkeytown-Internal-Token", "x".repeat(24)), Duration.ofSeconds(10)), new ObjectMapper(),
                id -> pipeline().outputs());
        ActionsArtifacts artifacts = new ActionsArtifacts(access, REPOSITORY, staging, outputs, 1024 * 1024, 96 * 1024,
                100, timeout);
        opened.add(artifacts);
        return artifacts;
    }

    private static Pipeline pipeline() {
        return BuildsFile.parse("r", "pipelines: {site: {workflow: build.yml, outputs: [\"dist/**\"]}}")
                .pipeline("site").orElseThrow();
    }

    private static Build build(WorkflowRun run) {
        Instant now = Instant.now();
        Build dispatched = Build.queued("01JB00000000000000000" + (10000 + run.id() % 10000), "site", "main",
                "a".repeat(40), "t".repeat(40), BuildTrigger.MANUAL, "alice", now, null).dispatched(now);
        return dispatched.started(now, RunnerRef.of("github-actions").withExternalId(String.valueOf(run.id())));
    }
}
