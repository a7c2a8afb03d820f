package dev.monkeytown.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks GitHub's {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body keyed with the hook's
 * secret, against every configured secret (several during a rotation). Every secret is tried and the digests are
 * compared in constant time, so the response time says neither how much of a forged signature was right nor which
 * secret matched.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";
    private static final Pattern WELL_FORMED = Pattern.compile("sha256=[0-9a-fA-F]{64}");

    private final List<SecretKeySpec> keys;

    private WebhookSignature(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /** The verifier for these secrets; blank entries (an empty variable, a trailing comma) are ignored. */
    public static WebhookSignature of(List<String> secrets) {
        return new WebhookSignature(secrets.stream()
                .filter(secret -> !secret.isBlank())
                .map(secret -> new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .toList());
    }

    /** False when no secret is configured: then nothing can be verified and the endpoint stays closed. */
    public boolean isConfigured() {
        return !keys.isEmpty();
    }

    /** True when {@code header} is a well-formed signature of {@code body} made with one of the secrets. */
    public boolean verify(byte[] body, String header) {
        Optional<byte[]> presented = decode(header);
        if (presented.isEmpty()) {
            return false;
        }
        boolean matched = false;
        for (SecretKeySpec key : keys) {
            // no early exit: every secret costs the same, whichever one (if any) matches
            matched |= MessageDigest.isEqual(hmac(key, body), presented.get());
        }
        return matched;
    }

    /** {@code sha256=} followed by 64 hex digits, as bytes; anything else is no signature at all. */
    static Optional<byte[]> decode(String header) {
        if (header == null || !WELL_FORMED.matcher(header.trim()).matches()) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(header.trim().substring(PREFIX.length())));
    }

    /** The header GitHub would send for {@code body} signed with {@code secret}. */
    static String sign(String secret, byte[] body) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        return PREFIX + HexFormat.of().formatHex(hmac(key, body));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and cheap to make next to hashing a body
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM ships HmacSHA256 and accepts any key for it", e);
        }
    }
}
