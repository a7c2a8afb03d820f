package dev.monkeytown.artifact.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A content digest, {@code sha256:<64 hex>}. Only SHA-256: a blob's digest is also its Git LFS object id, and Git LFS
 * knows no other algorithm. The OCI grammar allows others ({@code sha512:...}); those are refused as unsupported, never
 * stored under a name they were not hashed with.
 */
public record Digest(String hex) implements Comparable<Digest> {

    public static final String ALGORITHM = "sha256";
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    // the OCI image spec's digest grammar: algorithm ":" encoded
    private static final Pattern ANY = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 hex digest");
        }
    }

    /** {@code sha256:<hex>}, or empty if {@code text} is not a digest of the OCI grammar at all. */
    public static Optional<Digest> parse(String text) {
        if (text == null || !text.startsWith(ALGORITHM + ":")) {
            return Optional.empty();
        }
        String hex = text.substring(ALGORITHM.length() + 1);
        return HEX.matcher(hex).matches() ? Optional.of(new Digest(hex)) : Optional.empty();
    }

    /** Whether {@code text} has the OCI digest form, whatever its algorithm: tells "unsupported" from "malformed". */
    public static boolean looksLikeDigest(String text) {
        return text != null && text.contains(":") && ANY.matcher(text).matches();
    }

    public static Digest of(byte[] content) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(content)));
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The Git LFS object id: the bare hex. */
    public String oid() {
        return hex;
    }

    @Override
    public int compareTo(Digest other) {
        return hex.compareTo(other.hex);
    }

    @JsonCreator
    static Digest fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a sha256 digest"));
    }

    @JsonValue
    @Override
    public String toString() {
        return ALGORITHM + ":" + hex;
    }
}
