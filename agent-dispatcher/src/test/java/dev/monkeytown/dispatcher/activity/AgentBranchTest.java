package dev.monkeytown.dispatcher.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.monkeytown.dispatcher.runner.AgentRunner;
import dev.monkeytown.github.testdouble.WebhookExamples;

class AgentBranchTest {

    @Test
    void theBranchTheRunnerNamesIsRecognisedWithItsAgent() {
        assertEquals(Optional.of(new AgentBranch("docs-index", "r-42")),
                AgentBranch.parse(AgentRunner.branchFor("docs-index", "r-42")));
        assertEquals(Optional.of(new AgentBranch("docs-index", "r-42")),
                AgentBranch.parse("refs/heads/" + AgentRunner.branchFor("docs-index", "r-42")));
    }

    @Test
    void otherBranchesAreNotAgentBranches() {
        for (String name : new String[]{"main", "feature/x", "agents/", "agents/docs", "agents/docs/",
                "agents//r-1", "agents/docs/r-1/extra", "refs/heads/agentsx/docs/r-1"}) {
            assertTrue(AgentBranch.parse(name).isEmpty(), name);
        }
    }

    @Test
    void aPullRequestFromAnAgentBranchOfThisRepositoryIsAnAgentsAFork() {
        ObjectNode pullRequest = (ObjectNode) WebhookExamples.load("pull_request.opened").get("pull_request");
        assertEquals(BusinessMetrics.Author.HUMAN, WebhookActivity.authorOf(pullRequest), "head ref 'changes'");

        ((ObjectNode) pullRequest.get("head")).put("ref", "agents/docs-index/r-1");
        assertEquals(BusinessMetrics.Author.AGENT, WebhookActivity.authorOf(pullRequest));

        ((ObjectNode) pullRequest.get("head").get("repo")).put("full_name", "someone/fork");
        assertEquals(BusinessMetrics.Author.HUMAN, WebhookActivity.authorOf(pullRequest), "a fork's agents/ branch");
    }

    @Test
    void recentDeliveriesCountAnIdOnceAndForgetTheOldest() {
        RecentDeliveries deliveries = new RecentDeliveries(2);
        assertTrue(deliveries.firstTime("a"));
        assertFalse(deliveries.firstTime("a"));
        assertTrue(deliveries.firstTime("b"));
        assertTrue(deliveries.firstTime("c")); // pushes "a" out: bounded, not growing with every delivery
        assertFalse(deliveries.firstTime("b"));
        assertTrue(deliveries.firstTime("a"));
    }
}
