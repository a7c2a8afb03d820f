package dev.monkeytown.events.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code text/event-stream} incrementally: bytes may arrive split anywhere, even inside a UTF-8 character or
 * between the CR and LF of one line end, so lines are cut on bytes and decoded only when whole. Comment lines and
 * fields other than {@code id}, {@code event} and {@code data} are ignored; several {@code data} lines join with a line
 * feed; a frame without data is dropped, as the SSE spec says.
 */
final class SseParser {

    static final class FrameTooLargeException extends RuntimeException {
        FrameTooLargeException(int limit) {
            super("SSE frame longer than " + limit + " bytes", null, false, false);
        }
    }

    private final int maxFrameBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean afterCarriageReturn;
    private int frameBytes;
    private String id;
    private String event;
    private StringBuilder data;

    SseParser(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The frames these bytes complete, in order; an incomplete tail is kept for the next call. */
    List<SseFrame> feed(byte[] bytes) {
        List<SseFrame> frames = new ArrayList<>(2);
        for (byte b : bytes) {
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false; // second half of a CRLF whose CR already ended the line
                continue;
            }
            afterCarriageReturn = b == '\r';
            if (b == '\r' || b == '\n') {
                endLine(frames);
            } else {
                if (++frameBytes > maxFrameBytes) {
                    throw new FrameTooLargeException(maxFrameBytes);
                }
                line.write(b);
            }
        }
        return frames;
    }

    private void endLine(List<SseFrame> frames) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            if (data != null) {
                frames.add(new SseFrame(id, event, data.toString()));
            }
            id = null;
            event = null;
            data = null;
            frameBytes = 0;
            return;
        }
        if (text.charAt(0) == ':') {
            return; // comment, e.g. a heartbeat
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (name) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // retry and unknown fields: this client has its own reconnect policy
            }
        }
    }
}
