package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHRepository;

import dev.monkeytown.github.testdouble.CallLedger.Costs;

/**
 * Git objects by id never change: they are read without revalidation and not kept in the ETag cache, where they would
 * duplicate the copy the caller (the state store) keeps anyway.
 */
class ImmutableReadTest extends DoubleBackedTest {

    @Test
    void anImmutableReadIsNeitherRevalidatedNorKept() throws Exception {
        seedMain();
        String blob = github.repository("acme", "town").objects().writeBlob("[]".getBytes(StandardCharsets.UTF_8))
                .sha();
        String path = "/repos/acme/town/git/blobs/" + blob;
        GitHubAccess client = client();

        assertEquals(200, client.getImmutable(path).status());
        assertEquals(200, client.getImmutable(path).status());
        // nothing was kept: the first conditional read has no ETag to send, the second one has
        client.get(path);
        ApiResponse revalidated = client.get(path);

        assertEquals(true, revalidated.revalidated());
        assertEquals(new Costs(4, 3, 1, 0, 0), github.ledger().costs());
    }

    @Test
    void hub4jReadsOfGitObjectsByIdAreNotKeptEither() throws Exception {
        seedMain();
        byte[] content = "[]".getBytes(StandardCharsets.UTF_8);
        String blob = github.repository("acme", "town").objects().writeBlob(content).sha();
        GitHubAccess client = client();
        GHRepository repo = client.rest().getRepository("acme/town");
        Costs before = github.ledger().costs();

        for (int i = 0; i < 2; i++) {
            try (InputStream in = repo.getBlob(blob).read()) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }

        // without the ETag cache's copy the second read is a plain read again, never a 304 revalidation
        assertEquals(new Costs(2, 2, 0, 0, 0), github.ledger().costs().minus(before));
    }
}
