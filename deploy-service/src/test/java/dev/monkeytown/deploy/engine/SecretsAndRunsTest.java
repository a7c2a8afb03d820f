package dev.monkeytown.deploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.deploy.deployments.Approval;
import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;
import dev.monkeytown.deploy.deployments.DeploymentState;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.runner.RunSpec;

class SecretsAndRunsTest {

    @TempDir
    Path directory;

    @Test
    void secretsAreReadOnlyFromAFileOnlyItsOwnerCanRead() throws IOException {
        SecretsFile secrets = new SecretsFile(directory, true);
        assertEquals(Map.of(), secrets.read("production"), "no file, no secrets");
        Path file = directory.resolve("production.env");
        Files.writeString(file, "# comment\nAPI_KEY=s3cr3t-value\n\nDB_URL=postgres://x?a=b\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException refused = assertThrows(IOException.class, () -> secrets.read("production"));
        assertTrue(refused.getMessage().contains("chmod 600"));
        assertFalse(refused.getMessage().contains("s3cr3t"), "a refusal never shows a value");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(Map.of("API_KEY", "s3cr3t-value", "DB_URL", "postgres://x?a=b"), secrets.read("production"));
        Files.writeString(file, "MONKEYTOWN_INTERNAL_TOKEN=x\n");
        assertThrows(IOException.class, () -> secrets.read("production"));
    }

    /** Without the sandbox a staging command (no approval needed) could read production's file: never released. */
    @Test
    void secretsAreNeverReleasedWhereCommandsAreNotConfined() throws IOException {
        SecretsFile unconfined = new SecretsFile(directory, false);
        assertEquals(Map.of(), unconfined.read("production"), "no file, nothing to keep");
        Path file = directory.resolve("production.env");
        Files.writeString(file, "API_KEY=s3cr3t-value\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        IOException refused = assertThrows(IOException.class, () -> unconfined.read("production"));
        assertTrue(refused.getMessage().contains("bubblewrap"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cr3t"));
    }

    @Test
    void onlyAnApprovedDeploymentOfAnEnvironmentThatNeedsApprovalSeesSecrets() {
        Map<String, String> secrets = Map.of("API_KEY", "s3cr3t-value");
        Environment production = environment(true);
        Deployment waiting = running().to(DeploymentState.WAITING, Instant.EPOCH, "waiting");
        Deployment approved = waiting.approved(new Approval(true, "bob", "ship it", Instant.EPOCH)).committed(
                "c".repeat(40), Instant.EPOCH).to(DeploymentState.IN_PROGRESS, Instant.EPOCH, "running");
        Deployment unapproved = running().committed("c".repeat(40), Instant.EPOCH).to(DeploymentState.IN_PROGRESS,
                Instant.EPOCH, "running");

        RunSpec spec = DeploymentRuns.spec(approved, production, DeploymentRuns.Step.DEPLOY, directory.resolve("a"),
                directory.resolve("env"), secrets);
        assertEquals(secrets, spec.secrets());
        assertFalse(spec.environment().containsValue("s3cr3t-value"));
        assertEquals(Map.of(), DeploymentRuns.spec(unapproved, production, DeploymentRuns.Step.DEPLOY,
                directory.resolve("a"), directory.resolve("env"), secrets).secrets());
        assertEquals(Map.of(), DeploymentRuns.spec(approved, environment(false), DeploymentRuns.Step.DEPLOY,
                directory.resolve("a"), directory.resolve("env"), secrets).secrets());

        assertEquals("environments/production", spec.ref());
        assertEquals(Optional.of("c".repeat(40)), spec.commit());
        assertEquals(List.of("/bin/sh", "-c", "./deploy.sh"), spec.command().orElseThrow());
        assertEquals("D1-deploy", spec.id());
        assertEquals("production", spec.environment().get("MONKEYTOWN_ENVIRONMENT"));
        assertEquals("D1", spec.environment().get("MONKEYTOWN_DEPLOYMENT_ID"));
        assertEquals("a".repeat(40), spec.environment().get("MONKEYTOWN_SHA"));
        assertEquals(directory.resolve("env").toString(), spec.environment().get("MONKEYTOWN_ENVIRONMENT_DIR"));
        assertEquals(directory.resolve("a").toString(), spec.environment().get("MONKEYTOWN_ARTIFACTS"));
        RunSpec health = DeploymentRuns.spec(approved, production, DeploymentRuns.Step.HEALTH, directory, directory,
                secrets);
        assertEquals(List.of("/bin/sh", "-c", "./health.sh"), health.command().orElseThrow());
        assertEquals(Optional.of(new DeploymentRuns.RunOf("D1", DeploymentRuns.Step.HEALTH)),
                DeploymentRuns.parse(health.id()));
    }

    private static Deployment running() {
        return Deployment.queued("D1", "production", "a".repeat(40), "b".repeat(40), DeploymentKind.DEPLOY, List.of(),
                "alice", Instant.EPOCH);
    }

    private static Environment environment(boolean approval) {
        return new Environment("production", "main", false, true, approval, List.of(), "./deploy.sh",
                Optional.of("./health.sh"), Environment.OnFailure.ALERT, Duration.ofMinutes(1));
    }
}
