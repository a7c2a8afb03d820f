package dev.monkeytown.deploy.deployments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DeploymentTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static Deployment queued(String id) {
        return Deployment.queued(id, "staging", "a".repeat(40), "b".repeat(40), DeploymentKind.DEPLOY, List.of(),
                "alice", T0);
    }

    @Test
    void theHappyPathFollowsGitHubsStates() {
        Deployment d = queued("1");
        d = d.to(DeploymentState.IN_PROGRESS, T0.plusSeconds(1), "running");
        assertEquals(T0.plusSeconds(1), d.startedAt());
        d = d.to(DeploymentState.VERIFYING, T0.plusSeconds(2), "health");
        assertFalse(d.healthy());
        d = d.to(DeploymentState.SUCCESS, T0.plusSeconds(3), "healthy");
        assertTrue(d.healthy());
        assertEquals(T0.plusSeconds(3), d.finishedAt());
        d = d.to(DeploymentState.INACTIVE, T0.plusSeconds(4), "replaced");
        assertTrue(d.healthy(), "an inactive success stays a deployment that passed health");
        assertEquals(T0.plusSeconds(3), d.finishedAt());
        assertEquals(4, d.revision());
    }

    @Test
    void everyStepTheStateDoesNotAllowIsRefused() {
        for (DeploymentState from : DeploymentState.values()) {
            for (DeploymentState to : DeploymentState.values()) {
                Deployment at = in(from);
                if (from.next().contains(to)) {
                    assertEquals(to, at.to(to, T0, "step").state());
                } else {
                    assertThrows(IllegalStateException.class, () -> at.to(to, T0, "step"), from + " -> " + to);
                }
            }
        }
        Set<DeploymentState> ends = EnumSet.of(DeploymentState.FAILURE, DeploymentState.ERROR, DeploymentState.INACTIVE);
        ends.forEach(s -> assertTrue(s.next().isEmpty()));
    }

    @Test
    void onlyAWaitingDeploymentIsApprovedAndTheDecisionIsKept() {
        Deployment waiting = queued("1").to(DeploymentState.WAITING, T0, "waiting");
        assertFalse(waiting.isApproved());
        Deployment approved = waiting.approved(new Approval(true, "bob", "release 1.2", T0));
        assertTrue(approved.isApproved());
        assertEquals("bob", approved.approval().by());
        assertThrows(IllegalStateException.class,
                () -> queued("2").approved(new Approval(true, "bob", "no", T0)));
    }

    @Test
    void aRevertCarriesTheLastGoodTreeAndArtifacts() {
        Artifact site = new Artifact("site", "B1", "a".repeat(40), "b".repeat(40), List.of());
        Deployment good = Deployment.queued("1", "staging", "a".repeat(40), "b".repeat(40), DeploymentKind.DEPLOY,
                List.of(site), "alice", T0);
        Deployment bad = Deployment.queued("2", "staging", "c".repeat(40), "d".repeat(40), DeploymentKind.DEPLOY,
                List.of(), "alice", T0);
        Deployment revert = Deployment.revert("3", bad, good, "deploy-service", T0);
        assertEquals(DeploymentKind.REVERT, revert.kind());
        assertEquals(good.tree(), revert.tree());
        assertEquals(good.sha(), revert.sha());
        assertEquals(List.of(site), revert.artifacts());
        assertEquals("B1", revert.buildId());
        assertEquals("2", revert.revertOf());
        assertEquals("1", revert.lastGood());
        assertNull(revert.environmentCommit());
        assertNotNull(revert.createdAt());
    }

    static Deployment in(DeploymentState state) {
        Deployment d = queued("x");
        return switch (state) {
            case QUEUED -> d;
            case WAITING -> d.to(DeploymentState.WAITING, T0, "");
            case IN_PROGRESS -> d.to(DeploymentState.IN_PROGRESS, T0, "");
            case VERIFYING -> d.to(DeploymentState.IN_PROGRESS, T0, "").to(DeploymentState.VERIFYING, T0, "");
            case SUCCESS -> in(DeploymentState.VERIFYING).to(DeploymentState.SUCCESS, T0, "");
            case FAILURE -> in(DeploymentState.IN_PROGRESS).to(DeploymentState.FAILURE, T0, "");
            case ERROR -> d.to(DeploymentState.ERROR, T0, "");
            case INACTIVE -> d.to(DeploymentState.INACTIVE, T0, "");
        };
    }
}
