package dev.monkeytown.state.fence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

class WriterFenceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Actor SERVICE = Actor.service("svc");

    private final InMemoryRepository repository = new InMemoryRepository();
    private final List<GroupCommitStateBranch> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(GroupCommitStateBranch::close);
    }

    @Test
    void afterATakeoverTheOldWritersChangesAreRefusedAndItStepsDown() {
        FencedStateBranch old = instance("old");
        AtomicInteger stepDowns = new AtomicInteger();
        old.fence().onStepDown(stepDowns::incrementAndGet);
        await(old.apply(put("runs/1.json", "old")));
        FencedStateBranch replacement = instance("new");

        await(replacement.takeOver(SERVICE));
        FencedOffException refused = assertThrows(FencedOffException.class,
                () -> await(old.apply(put("runs/2.json", "old"))));

        assertTrue(refused.getMessage().contains("new"), refused.getMessage());
        assertEquals(1, stepDowns.get());
        assertTrue(old.fence().steppedDown().isPresent());
        assertThrows(FencedOffException.class, () -> await(old.apply(put("runs/3.json", "old"))));
        assertEquals(1, stepDowns.get(), "steps down once");
        await(replacement.apply(put("runs/2.json", "new")));
        assertEquals(Optional.of("new"), text(replacement.read("runs/2.json")));
        assertEquals(Optional.empty(), text(fresh().read("runs/3.json")));
    }

    @Test
    void aStaleWritersChangeBasedOnTheOldHeadIsReappliedOnTheTakeoverAndRefused() {
        FencedStateBranch old = instance("old");
        await(old.apply(put("a.json", "1")));
        FencedStateBranch replacement = instance("new");
        await(replacement.takeOver(SERVICE));

        // the old writer's view still shows its own head: its commit loses the race and is re-applied on the takeover
        assertThrows(FencedOffException.class, () -> await(old.apply(put("a.json", "2"))));

        assertEquals(Optional.of("1"), text(fresh().read("a.json")));
    }

    @Test
    void twoInstancesStartingTogetherEndWithOneWriter() {
        FencedStateBranch first = instance("first");
        FencedStateBranch second = instance("second");

        await(first.takeOver(SERVICE));
        await(second.takeOver(SERVICE)); // still taking over: it overwrites the first's record

        assertThrows(FencedOffException.class, () -> await(first.apply(put("a.json", "first"))));
        await(second.apply(put("a.json", "second")));
        assertTrue(first.fence().steppedDown().isPresent());
        assertTrue(second.fence().holding());
        assertEquals(Optional.of("second"), text(fresh().read("a.json")));
    }

    @Test
    void anIdleWriterLearnsOfATakeoverOnItsNextRefresh() {
        FencedStateBranch old = instance("old");
        await(old.apply(put("a.json", "1")));
        await(instance("new").takeOver(SERVICE));
        assertFalse(old.fence().steppedDown().isPresent(), "nothing told it yet");

        await(old.refresh());

        assertTrue(old.fence().steppedDown().orElseThrow().contains("new"));
    }

    @Test
    void aNewInstanceTakesOverWithItsFirstChangeAndTheRecordNamesIt() {
        FencedStateBranch first = instance("first");

        await(first.apply(put("a.json", "1")));

        String record = await(fresh().read(WriterFence.PATH)).orElseThrow().text();
        assertTrue(record.contains("\"instance\" : \"first\""), record);
        assertTrue(first.fence().holding());
        assertFalse(first.fence().steppedDown().isPresent());
    }

    private FencedStateBranch instance(String name) {
        GroupCommitStateBranch branch = new GroupCommitStateBranch("svc", repository.branch("svc"),
                StateBranchOptions.defaults());
        opened.add(branch);
        return new FencedStateBranch(branch, new WriterFence(name, Clock.systemUTC()));
    }

    private GroupCommitStateBranch fresh() {
        GroupCommitStateBranch branch = new GroupCommitStateBranch("svc", repository.branch("svc"),
                StateBranchOptions.defaults());
        opened.add(branch);
        return branch;
    }

    private static Change put(String path, String text) {
        return new Change("put " + path, SERVICE, ws -> ws.put(path, text));
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(TIMEOUT);
    }

    private static Optional<String> text(Uni<Optional<Document>> read) {
        return await(read).map(Document::text);
    }
}
