package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OutageTest extends DoubleBackedTest {

    @Test
    void unreachableGitHubGivesATypedFailureThenTheClientRecoversByItself() throws Exception {
        String head = seedMain();
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofMillis(700));
        client.get(REF_PATH);
        github.takeDown();

        GitHubUnavailableException down = assertThrows(GitHubUnavailableException.class,
                () -> client.rest().getRepository("acme/town"));
        assertFalse(down.getMessage().contains(TOKEN));
        assertFalse(String.valueOf(down.getCause()).contains(TOKEN));

        github.bringBack();
        // hub4j's getRef uses the refs listing endpoint, not GitHub's "get a reference"; we read refs raw
        assertEquals("town", client.rest().getRepository("acme/town").getName());
        assertTrue(client.get(REF_PATH).text().contains(head));
        assertTrue(requests("read", "unreachable") >= 1);
    }

    @Test
    void serviceUnavailableIsRetriedUntilItEnds() throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofSeconds(5));
        github.answerUnavailable(true);
        Thread recovery = new Thread(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                return;
            }
            github.answerUnavailable(false);
        });
        recovery.start();

        ApiResponse response = client.get(REF_PATH);

        assertEquals(200, response.status());
        recovery.join();
        assertTrue(requests("read", "server_error") >= 1);
    }

    @Test
    void serviceUnavailablePastTheBoundedWaitIsATypedFailure() throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofMillis(500));
        github.answerUnavailable(true);
        assertThrows(GitHubUnavailableException.class, () -> client.get(REF_PATH));
        github.answerUnavailable(false);
        assertEquals(200, client.get(REF_PATH).status());
    }
}
