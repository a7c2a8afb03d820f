package dev.monkeytown.deploy.deployments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private int next = 100;
    private Instant now = T0;

    @Test
    void theNewestQueuedWinsAndTheLosersSaySo() {
        Ledger ledger = new Ledger("staging");
        Deployment first = queued("a");
        apply(ledger, ledger.request(first, now));
        Deployment second = queued("b");
        List<Deployment> changes = ledger.request(second, now);
        assertEquals(2, changes.size());
        assertEquals(DeploymentState.INACTIVE, changes.get(0).state());
        assertTrue(changes.get(0).reason().contains(second.id()));
        apply(ledger, changes);
        assertEquals(Optional.of(second), ledger.startable());
    }

    @Test
    void nothingStartsWhileADeploymentHoldsTheEnvironment() {
        Ledger ledger = new Ledger("staging");
        Deployment first = queued("a");
        apply(ledger, ledger.request(first, now));
        ledger.put(start(first));
        apply(ledger, ledger.request(queued("b"), now));
        assertEquals(Optional.empty(), ledger.startable());
        assertEquals(first.id(), ledger.active().orElseThrow().id());
    }

    @Test
    void aNewerSuccessMakesThePreviousInactiveAndIsLastGood() {
        Ledger ledger = new Ledger("staging");
        Deployment one = runToSuccess(ledger, "a");
        Deployment two = runToSuccess(ledger, "b");
        assertEquals(DeploymentState.INACTIVE, ledger.find(one.id()).orElseThrow().state());
        assertEquals(two.id(), ledger.lastGood().orElseThrow().id());
        assertEquals(two.id(), ledger.current().orElseThrow().id());
    }

    @Test
    void aFailureRevertsOnceToTheLastGoodAndARevertIsNeverReverted() {
        Ledger ledger = new Ledger("staging");
        Deployment good = runToSuccess(ledger, "a");
        Deployment bad = runToFailure(ledger, "b");
        Ledger.RevertPlan plan = ledger.revertPlan(bad);
        assertEquals(good.id(), assertInstanceOf(Ledger.RevertPlan.To.class, plan).lastGood().id());
        Deployment revert = Deployment.revert(id(), bad, good, "deploy-service", now);
        apply(ledger, ledger.request(revert, now));
        assertInstanceOf(Ledger.RevertPlan.AlreadyDone.class, ledger.revertPlan(bad));
        Deployment failedRevert = fail(start(ledger.find(revert.id()).orElseThrow()));
        ledger.put(failedRevert);
        assertInstanceOf(Ledger.RevertPlan.Impossible.class, ledger.revertPlan(failedRevert));
    }

    @Test
    void withoutAnythingGoodThereIsNothingToRevertTo() {
        Ledger ledger = new Ledger("staging");
        Deployment bad = runToFailure(ledger, "a");
        assertInstanceOf(Ledger.RevertPlan.Impossible.class, ledger.revertPlan(bad));
        assertThrows(IllegalStateException.class, () -> ledger.revertTarget(Optional.empty()));
    }

    @Test
    void anOperatorRevertSkipsWhatRunsAndRefusesWhatWasNeverGood() {
        Ledger ledger = new Ledger("staging");
        Deployment one = runToSuccess(ledger, "a");
        Deployment bad = runToFailure(ledger, "x");
        Deployment two = runToSuccess(ledger, "b");
        assertEquals(one.id(), ledger.revertTarget(Optional.empty()).id());
        assertThrows(IllegalStateException.class, () -> ledger.revertTarget(Optional.of(bad.id())));
        assertThrows(IllegalArgumentException.class, () -> ledger.revertTarget(Optional.of("nope")));
        ledger.put(ledger.find(two.id()).orElseThrow().revertedBy("r", now));
        assertEquals(one.id(), ledger.lastGood().orElseThrow().id(), "a reverted success is no longer good");
    }

    @Test
    void successRateCountsWhatRanToAnEndInTheWindow() {
        Ledger ledger = new Ledger("staging");
        assertEquals(Optional.empty(), ledger.successRate(T0));
        runToSuccess(ledger, "a");
        runToFailure(ledger, "b");
        runToSuccess(ledger, "c");
        runToSuccess(ledger, "d");
        assertEquals(0.75, ledger.successRate(T0).orElseThrow(), 1e-9);
        Instant later = now.plusMillis(1);
        runToFailure(ledger, "e");
        assertEquals(0.0, ledger.successRate(later).orElseThrow(), 1e-9);
    }

    /**
     * Random histories of requests, starts, outcomes, automatic reverts and operator reverts, driven as the engine
     * drives the ledger, checked after every step against a model computed from the whole history: last good is the
     * newest deployment that passed health and was not reverted since; at most one deployment holds the environment,
     * at most one waits, at most one is the success; an automatic revert goes to the model's last good, once.
     */
    @Test
    void randomHistoriesAgreeWithTheModel() {
        Random random = new Random(15);
        for (int history = 0; history < 2000; history++) {
            Ledger ledger = new Ledger("staging");
            List<String> events = new ArrayList<>(); // "ok <id>" / "reverted <id>", in order
            int steps = 5 + random.nextInt(40);
            for (int step = 0; step < steps; step++) {
                int choice = random.nextInt(5);
                if (choice == 0) {
                    apply(ledger, ledger.request(queued(Integer.toString(random.nextInt(4))), now));
                } else if (choice == 1 && ledger.startable().isPresent()) {
                    ledger.put(start(ledger.startable().get()));
                } else if (choice == 2 && ledger.active().isPresent()) {
                    Deployment active = ledger.active().get();
                    if (random.nextBoolean()) {
                        apply(ledger, ledger.succeeded(active.id(), tick()));
                        events.add("ok " + active.id());
                    } else {
                        Deployment failed = fail(active);
                        ledger.put(failed);
                        Optional<String> expected = modelLastGood(events);
                        Ledger.RevertPlan plan = ledger.revertPlan(failed);
                        if (failed.kind() == DeploymentKind.REVERT || expected.isEmpty()) {
                            assertInstanceOf(Ledger.RevertPlan.Impossible.class, plan);
                        } else {
                            Deployment good = assertInstanceOf(Ledger.RevertPlan.To.class, plan).lastGood();
                            assertEquals(expected.get(), good.id());
                            assertNotEquals(failed.id(), good.id());
                            Deployment revert = Deployment.revert(id(), failed, good, "deploy-service", now);
                            List<Deployment> changes = new ArrayList<>(ledger.request(revert, now));
                            changes.add(failed.revertedBy(revert.id(), now));
                            apply(ledger, changes);
                            assertInstanceOf(Ledger.RevertPlan.AlreadyDone.class, ledger.revertPlan(
                                    ledger.find(failed.id()).orElseThrow()));
                        }
                    }
                } else if (choice == 3 && ledger.active().isEmpty()) {
                    Optional<Deployment> current = ledger.current();
                    Deployment target;
                    try {
                        target = ledger.revertTarget(Optional.empty());
                    } catch (IllegalStateException e) {
                        continue;
                    }
                    Deployment revert = Deployment.revert(id(), current.orElse(null), target, "alice", now);
                    List<Deployment> changes = new ArrayList<>(ledger.request(revert, now));
                    if (current.isPresent() && current.get().revertedBy() == null) {
                        changes.add(current.get().revertedBy(revert.id(), now));
                        events.add("reverted " + current.get().id());
                    }
                    apply(ledger, changes);
                }
                checkInvariants(ledger, events);
            }
        }
    }

    private static void checkInvariants(Ledger ledger, List<String> events) {
        List<Deployment> all = ledger.newestFirst();
        assertTrue(all.stream().filter(d -> d.state().isActive()).count() <= 1, "one at a time: " + all);
        assertTrue(all.stream().filter(d -> d.state() == DeploymentState.QUEUED).count() <= 1, "newest wins: " + all);
        assertTrue(all.stream().filter(d -> d.state() == DeploymentState.SUCCESS).count() <= 1, "one success: " + all);
        assertEquals(modelLastGood(events), ledger.lastGood().map(Deployment::id), "last good after " + events);
    }

    /** Newest "ok" whose deployment has no later "reverted". */
    private static Optional<String> modelLastGood(List<String> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            String[] event = events.get(i).split(" ");
            if (event[0].equals("ok")) {
                String candidate = event[1];
                boolean revertedLater = events.subList(i + 1, events.size()).contains("reverted " + candidate);
                if (!revertedLater) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private Deployment runToSuccess(Ledger ledger, String tree) {
        Deployment d = queued(tree);
        apply(ledger, ledger.request(d, now));
        ledger.put(start(ledger.startable().orElseThrow()));
        apply(ledger, ledger.succeeded(d.id(), tick()));
        return ledger.find(d.id()).orElseThrow();
    }

    private Deployment runToFailure(Ledger ledger, String tree) {
        Deployment d = queued(tree);
        apply(ledger, ledger.request(d, now));
        Deployment failed = fail(start(ledger.startable().orElseThrow()));
        ledger.put(failed);
        return failed;
    }

    private Deployment fail(Deployment active) {
        return active.to(DeploymentState.FAILURE, tick(), "health check failed");
    }

    private Deployment start(Deployment queued) {
        Instant at = tick();
        return queued.committed("c".repeat(40), at).to(DeploymentState.IN_PROGRESS, at, "running")
                .to(DeploymentState.VERIFYING, at, "health");
    }

    private Deployment queued(String tree) {
        return Deployment.queued(id(), "staging", tree.repeat(40).substring(0, 40), tree.repeat(40).substring(0, 40),
                DeploymentKind.DEPLOY, List.of(), "alice", tick());
    }

    private String id() {
        return String.format("%08d", next++);
    }

    private Instant tick() {
        now = now.plusSeconds(1);
        return now;
    }

    private static void apply(Ledger ledger, List<Deployment> changes) {
        changes.forEach(ledger::put);
    }
}
