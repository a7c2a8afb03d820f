package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** The pacer as a domain object: who gets which slot, and who is told at once that there is none in time. */
class WritePacerTest {

    private static final ApiRequest WRITE = new ApiRequest("POST",
            URI.create("https://api.github.com/repos/o/r/git/blobs"), Map.of(), new byte[0], RequestKind.WRITE);

    @Test
    void aWriteWithoutASlotInTimeFailsAtOnceWhileAnotherWriterWaitsForItsSlot() throws Exception {
        WritePacer pacer = new WritePacer(new WritePacing(Duration.ofSeconds(5), 80, 500, 10));
        BackoffGate gate = new BackoffGate();
        pacer.acquire(Deadline.in(Duration.ofSeconds(30)), gate, WRITE);

        // the second writer's slot is 5 s away; it is patient
        CountDownLatch patientSent = new CountDownLatch(1);
        Thread patient = new Thread(() -> {
            try {
                pacer.acquire(Deadline.in(Duration.ofSeconds(30)), gate, WRITE);
                patientSent.countDown();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        patient.start();
        awaitState(patient, Thread.State.TIMED_WAITING);

        // the third writer's slot would be 10 s away, past its deadline: it must hear so now, not after the second
        // writer's wait, which it has no reason to share
        assertThrows(GitHubUnavailableException.class, () -> pacer.acquire(Deadline.in(Duration.ofSeconds(1)), gate, WRITE));
        assertTrue(patientSent.getCount() == 1, "the hasty writer was held until the patient one had its slot");

        patient.interrupt();
        patient.join();
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        while (thread.getState() != state) {
            Thread.sleep(5);
        }
    }
}
