package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.monkeytown.github.testdouble.CallLedger.Costs;

class RawWriteTest extends DoubleBackedTest {

    @Test
    void writeIsSentWithItsBodyAndCountedAsWrite() throws Exception {
        String head = seedMain();
        GitHubAccess client = client();

        ApiResponse created = client.send("POST", "/repos/acme/town/git/refs",
                ("{\"ref\":\"refs/heads/feature\",\"sha\":\"" + head + "\"}").getBytes(StandardCharsets.UTF_8));

        assertEquals(201, created.status());
        assertEquals(head, github.repository("acme", "town").ref("refs/heads/feature").orElseThrow());
        assertEquals(new Costs(0, 0, 0, 1, 0), github.ledger().costs());
        assertEquals(1, requests("write", "ok"));
    }

    @Test
    void clientErrorsAreReturnedNotThrown() throws Exception {
        seedMain();
        GitHubAccess client = client();

        ApiResponse refused = client.send("POST", "/repos/acme/town/git/refs",
                "{\"ref\":\"refs/heads/x\",\"sha\":\"0000000000000000000000000000000000000000\"}"
                        .getBytes(StandardCharsets.UTF_8));

        assertEquals(422, refused.status());
        assertTrue(refused.text().contains("Object does not exist"));
    }

    @Test
    void writeToAnUnreachableGitHubEndsInUnavailable() throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofMillis(300));
        github.takeDown();
        try {
            assertThrows(GitHubUnavailableException.class, () -> client.send("POST", "/repos/acme/town/git/refs",
                    "{\"ref\":\"refs/heads/x\",\"sha\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        } finally {
            github.bringBack();
        }
    }

    @Test
    void readsAreRefused() throws Exception {
        GitHubAccess client = client();
        assertThrows(IllegalArgumentException.class, () -> client.send("GET", REF_PATH, null));
    }
}
