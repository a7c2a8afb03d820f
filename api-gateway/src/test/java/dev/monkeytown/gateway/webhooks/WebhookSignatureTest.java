package dev.monkeytown.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    // GitHub's documented test vector ("Validating webhook deliveries")
    private static final String DOCS_SECRET = "It's a Secret to Everybody";
    private static final byte[] DOCS_PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String DOCS_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void githubsDocumentedVectorVerifies() {
        assertTrue(WebhookSignature.of(List.of(DOCS_SECRET)).verify(DOCS_PAYLOAD, DOCS_SIGNATURE));
        assertEquals(DOCS_SIGNATURE, WebhookSignature.sign(DOCS_SECRET, DOCS_PAYLOAD));
    }

    @Test
    void anyConfiguredSecretVerifiesWhicheverPositionItHas() {
        assertTrue(WebhookSignature.of(List.of("new-secret", DOCS_SECRET)).verify(DOCS_PAYLOAD, DOCS_SIGNATURE));
        assertTrue(WebhookSignature.of(List.of(DOCS_SECRET, "new-secret")).verify(DOCS_PAYLOAD, DOCS_SIGNATURE));
    }

    @Test
    void aRemovedSecretNoLongerVerifies() {
        assertFalse(WebhookSignature.of(List.of("new-secret", "newer-secret")).verify(DOCS_PAYLOAD, DOCS_SIGNATURE));
    }

    @Test
    void aChangedBodyOrSignatureDoesNotVerify() {
        WebhookSignature signature = WebhookSignature.of(List.of(DOCS_SECRET));
        assertFalse(signature.verify("Hello, World?".getBytes(StandardCharsets.UTF_8), DOCS_SIGNATURE));
        assertFalse(signature.verify(DOCS_PAYLOAD, DOCS_SIGNATURE.replace("757107", "757108")));
    }

    @Test
    void upperCaseHexAndSurroundingSpaceAreTheSameSignature() {
        WebhookSignature signature = WebhookSignature.of(List.of(DOCS_SECRET));
        assertTrue(signature.verify(DOCS_PAYLOAD, "sha256=" + DOCS_SIGNATURE.substring(7).toUpperCase() + " "));
    }

    @Test
    void malformedHeadersAreNoSignature() {
        WebhookSignature signature = WebhookSignature.of(List.of(DOCS_SECRET));
        for (String header : new String[]{null, "", DOCS_SIGNATURE.substring(7), "sha1=" + DOCS_SIGNATURE.substring(7),
                DOCS_SIGNATURE + "00", DOCS_SIGNATURE.substring(0, DOCS_SIGNATURE.length() - 2),
                "sha256=" + "zz".repeat(32), "SHA256=" + DOCS_SIGNATURE.substring(7)}) {
            assertFalse(signature.verify(DOCS_PAYLOAD, header), String.valueOf(header));
        }
    }

    @Test
    void withoutSecretsNothingVerifies() {
        WebhookSignature none = WebhookSignature.of(List.of("", "  "));
        assertFalse(none.isConfigured());
        assertFalse(none.verify(DOCS_PAYLOAD, DOCS_SIGNATURE));
        assertTrue(WebhookSignature.of(List.of("", DOCS_SECRET)).isConfigured());
    }
}
