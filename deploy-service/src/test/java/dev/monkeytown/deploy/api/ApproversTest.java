package dev.monkeytown.deploy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.ForbiddenException;

import org.junit.jupiter.api.Test;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;

/** Who may approve or reject a waiting deployment. */
class ApproversTest {

    static final Deployment ASKED_BY_ALICE = Deployment.queued("01M96F0000000000000000000A", "production",
            "a".repeat(40), "b".repeat(40), DeploymentKind.DEPLOY, List.of(), "alice", Instant.EPOCH);

    @Test
    void aDecisionNeedsANamedPerson() {
        Approvers approvers = new Approvers(false);
        for (String nobody : new String[]{null, "", "bob smith", "x".repeat(65), "api\n"}) {
            ForbiddenException refused = assertThrows(ForbiddenException.class,
                    () -> approvers.decider(ASKED_BY_ALICE, nobody));
            assertTrue(refused.getMessage().contains("X-Monkeytown-User"), refused.getMessage());
        }
        assertEquals("bob", approvers.decider(ASKED_BY_ALICE, "bob"));
    }

    @Test
    void whoAskedMayApproveUnlessSelfReviewIsPrevented() {
        assertEquals("alice", new Approvers(false).decider(ASKED_BY_ALICE, "alice"));
        ForbiddenException refused = assertThrows(ForbiddenException.class,
                () -> new Approvers(true).decider(ASKED_BY_ALICE, "alice"));
        assertTrue(refused.getMessage().contains("someone other than alice"), refused.getMessage());
        assertEquals("bob", new Approvers(true).decider(ASKED_BY_ALICE, "bob"));
    }
}
