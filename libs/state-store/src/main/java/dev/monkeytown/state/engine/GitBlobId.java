package dev.monkeytown.state.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id Git gives a blob. Computing it locally lets the view follow its own commits without reading the new tree
 * back, and spot puts that do not change a document.
 */
final class GitBlobId {

    private GitBlobId() {
    }

    static String of(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-1", e);
        }
    }
}
