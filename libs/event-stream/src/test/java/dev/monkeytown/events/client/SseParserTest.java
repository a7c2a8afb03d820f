package dev.monkeytown.events.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {

    private static final String STREAM = "id: e1:1\nevent: run.queued\ndata: {\"a\":\"ü☃\"}\n\n"
            + ": heartbeat comment\n\n"
            + "event:gap\r\ndata:{\"x\":1}\r\n\r\n"
            + "id:e1:2\revent:run.started\rdata:first\rdata:\rdata: third\rretry: 5\r\r"
            + "event: no-data-is-dropped\n\n";

    private static final List<SseFrame> FRAMES = List.of(
            new SseFrame("e1:1", "run.queued", "{\"a\":\"ü☃\"}"),
            new SseFrame(null, "gap", "{\"x\":1}"),
            new SseFrame("e1:2", "run.started", "first\n\nthird"));

    @Test
    void readsFramesWithAnyLineEnding() {
        assertEquals(FRAMES, new SseParser(4096).feed(STREAM.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everySplitPointGivesTheSameFrames() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            for (int second = cut; second <= bytes.length; second += 7) {
                SseParser parser = new SseParser(4096);
                List<SseFrame> frames = new ArrayList<>(parser.feed(Arrays.copyOfRange(bytes, 0, cut)));
                frames.addAll(parser.feed(Arrays.copyOfRange(bytes, cut, second)));
                frames.addAll(parser.feed(Arrays.copyOfRange(bytes, second, bytes.length)));
                assertEquals(FRAMES, frames, "cut at " + cut + " and " + second);
            }
        }
    }

    @Test
    void anIncompleteFrameWaitsForItsBlankLine() {
        SseParser parser = new SseParser(4096);
        assertEquals(List.of(), parser.feed("id: a\ndata: x\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(new SseFrame("a", null, "x")), parser.feed("\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void heartbeatsAreSkippedAndNeverAddUpToAnOversizeFrame() {
        SseParser parser = new SseParser(1024);
        byte[] pings = ": ping\n\n".repeat(500).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(), parser.feed(pings));
        assertEquals(List.of(new SseFrame("e1:1", "run.queued", "{}")),
                parser.feed("id: e1:1\n: ping\nevent: run.queued\ndata: {}\n\n: ping\n\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anOversizeFrameIsRefused() {
        SseParser parser = new SseParser(1024);
        byte[] big = ("data: " + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8);
        assertThrows(SseParser.FrameTooLargeException.class, () -> parser.feed(big));
    }
}
