package dev.monkeytown.artifact.api;

import static dev.monkeytown.artifact.Registry.internalToken;
import static dev.monkeytown.artifact.Registry.repository;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpoolContents;
import dev.monkeytown.kit.security.InternalToken;

/**
 * A one-call upload spools the file before storing it; a client that goes away mid-body must not leave that spool
 * file behind (the failure cases after spooling, such as GitHub refusing the object, are in GitHubLfsStorageTest).
 */
@QuarkusTest
class SingleFileUploadSpoolTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    BlobStore store;

    @Test
    void aClientThatGoesAwayMidUploadLeavesNothingInTheSpool() throws Exception {
        Set<Path> before = SpoolContents.of(store);
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/artifacts?repository=" + repository("abort")
                    + "&artifactType=application/vnd.test HTTP/1.1\r\n" + "Host: localhost\r\n"
                    + InternalToken.HEADER + ": " + internalToken() + "\r\n"
                    + "X-Monkeytown-User: operator-user\r\nX-Monkeytown-Role: operator\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024 * 1024]);
            out.flush();
            // the upload is under way: its spool file is there
            await().atMost(WAIT).until(() -> !SpoolContents.addedSince(store, before).isEmpty());
        }
        await().atMost(WAIT).until(() -> SpoolContents.addedSince(store, before).isEmpty());
        assertEquals(Set.of(), SpoolContents.addedSince(store, before));
    }
}
