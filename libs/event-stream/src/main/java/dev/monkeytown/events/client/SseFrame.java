package dev.monkeytown.events.client;

/** One server-sent event as read off the wire: fields absent from the frame are null. */
record SseFrame(String id, String event, String data) {
}
