package dev.monkeytown.gateway.webhooks;

import io.vertx.core.buffer.Buffer;

/**
 * A delivery whose signature checked out: what the consumers get. The body is the raw bytes GitHub signed, passed on
 * untouched, never parsed or logged here.
 *
 * @param requestId the gateway's request id, sent along so the consumer's log lines match the gateway's; may be null
 */
record Delivery(String event, String id, Buffer body, String requestId) {
}
