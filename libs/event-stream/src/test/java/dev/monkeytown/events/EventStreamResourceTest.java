package dev.monkeytown.events;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.events.SseFrames.Frame;
import dev.monkeytown.kit.testing.Management;

@QuarkusTest
class EventStreamResourceTest {

    private static final String TOKEN = "test-only-internal-token-not-secret";
    private static final String HEADER = "X-Monkeytown-Internal-Token";

    @Inject
    EventLog log;

    @TestHTTPResource("/internal/events")
    URI events;

    @Test
    void streamsRetainedEventsThenLiveOnesWithIdsTypesAndOrder() throws Exception {
        long base = log.head().offset();
        log.publish("run.queued", "run-1", Map.of("agent", "builder"));
        log.publish("run.started", "run-1", null);

        try (SseFrames stream = SseFrames.open(URI.create(events + "?after=" + base), TOKEN)) {
            Frame queued = stream.next();
            assertEquals(log.epoch() + ":" + (base + 1), queued.id());
            assertEquals("run.queued", queued.event());
            JsonNode json = queued.json();
            assertEquals(base + 1, json.get("offset").asLong());
            assertEquals(log.epoch(), json.get("epoch").asText());
            assertEquals("run-1", json.get("subject").asText());
            assertEquals("builder", json.get("data").get("agent").asText());
            assertTrue(json.get("time").isTextual(), "time is an ISO-8601 string");

            Frame started = stream.next();
            assertEquals(log.epoch() + ":" + (base + 2), started.id());
            assertEquals("run.started", started.event());

            log.publish("run.finished", "run-1", Map.of("result", "success"));
            Frame finished = stream.next();
            assertEquals(log.epoch() + ":" + (base + 3), finished.id());
            assertEquals("success", finished.json().get("data").get("result").asText());
        }
    }

    @Test
    void resumingWithAfterSkipsWhatTheConsumerHas() throws Exception {
        long base = log.head().offset();
        for (int i = 0; i < 5; i++) {
            log.publish("build.finished", "b-" + i, null);
        }
        try (SseFrames stream = SseFrames.open(URI.create(events + "?after=" + (base + 3)), TOKEN)) {
            assertEquals(log.epoch() + ":" + (base + 4), stream.next().id());
            assertEquals(log.epoch() + ":" + (base + 5), stream.next().id());
        }
    }

    @Test
    void withoutAfterOnlyNewEventsArrive() throws Exception {
        log.publish("deploy.started", "staging", null);
        int before = log.subscriberCount();
        try (SseFrames stream = SseFrames.open(events, TOKEN)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> log.subscriberCount() > before);
            Event fresh = log.publish("deploy.finished", "staging", null);
            Frame frame = stream.next();
            assertEquals(log.epoch() + ":" + fresh.offset(), frame.id());
            assertEquals("deploy.finished", frame.event());
        }
    }

    @Test
    void afterOlderThanTheLogGetsAGapThenTheOldestRetainedEvent() throws Exception {
        long base = log.head().offset();
        for (int i = 0; i < log.capacity() + 10; i++) {
            log.publish("artifact.stored", "a-" + i, null);
        }
        long firstRetained = log.since(log.head().offset()).firstRetained();
        try (SseFrames stream = SseFrames.open(URI.create(events + "?after=" + base), TOKEN)) {
            Frame gap = stream.next();
            assertEquals("gap", gap.event());
            assertEquals(null, gap.id(), "a gap must not move the consumer's resume point");
            assertFalse(gap.json().get("recovered").asBoolean(true));
            assertEquals(base, gap.json().get("after").asLong());
            assertEquals(firstRetained, gap.json().get("firstOffset").asLong());
            assertEquals("evicted", gap.json().get("reason").asText());

            assertEquals(log.epoch() + ":" + firstRetained, stream.next().id());
        }
    }

    @Test
    void offsetFromAnotherEpochGetsAGapThenEverythingRetained() throws Exception {
        log.publish("run.queued", "run-epoch", null);
        long firstRetained = log.since(log.head().offset()).firstRetained();
        try (SseFrames stream = SseFrames.open(URI.create(events + "?after=999999&epoch=0000000000000000"), TOKEN)) {
            Frame gap = stream.next();
            assertEquals("gap", gap.event());
            assertEquals("epoch-changed", gap.json().get("reason").asText());
            assertEquals(log.epoch(), gap.json().get("epoch").asText());
            assertEquals(firstRetained, gap.json().get("firstOffset").asLong());
            assertEquals(log.epoch() + ":" + firstRetained, stream.next().id());
        }
    }

    @Test
    void badAfterIsAProblem() {
        long future = log.head().offset() + 1_000;
        for (String after : new String[]{"abc", "-1", "1.5", String.valueOf(future)}) {
            given().header(HEADER, TOKEN)
                    .queryParam("after", after)
                    .when()
                    .get("/internal/events")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", is(400))
                    .body("detail", containsString("after"));
        }
    }

    @Test
    void streamAndHeadAreInternal() {
        given().queryParam("after", 0).when().get("/internal/events").then().statusCode(401);
        given().when().get("/internal/events/head").then().statusCode(401);
        given().header(HEADER, "wrong").when().get("/internal/events/head").then().statusCode(401);
    }

    @Test
    void headNamesEpochAndLatestOffset() {
        Event latest = log.publish("run.queued", "run-head", null);
        given().header(HEADER, TOKEN)
                .when()
                .get("/internal/events/head")
                .then()
                .statusCode(200)
                .body("epoch", is(log.epoch()))
                .body("offset", is((int) latest.offset()));
    }

    @Test
    void closingTheStreamRemovesTheSubscriber() throws Exception {
        awaitNoSubscribers(); // streams of earlier tests are closed; let the server notice
        SseFrames stream = SseFrames.open(URI.create(events + "?after=" + log.head().offset()), TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> log.subscriberCount() == 1);
        stream.close();
        awaitNoSubscribers();
    }

    @Test
    void aQuietStreamGetsPingCommentsThatNeverSplitAnEvent() throws Exception {
        try (SseFrames stream = SseFrames.open(URI.create(events + "?after=" + log.head().offset()), TOKEN)) {
            // the test profile sends heartbeats after 200 ms of quiet
            await().atMost(Duration.ofSeconds(10)).until(() -> pings(stream) >= 2);

            Event event = log.publish("run.queued", "run-ping", Map.of("agent", "builder"));
            Frame frame = stream.next();
            assertEquals(log.epoch() + ":" + event.offset(), frame.id());
            assertEquals("run.queued", frame.event());
            assertEquals("builder", frame.json().get("data").get("agent").asText());

            int before = pings(stream);
            await().atMost(Duration.ofSeconds(10)).until(() -> pings(stream) >= before + 2);
            List<String> lines = stream.lines();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(":")) {
                    assertEquals(": ping", lines.get(i));
                    assertTrue(i == 0 || lines.get(i - 1).isEmpty(), "a ping starts a frame of its own: " + lines);
                    assertTrue(i + 1 == lines.size() || lines.get(i + 1).isEmpty(), "and ends it: " + lines);
                }
            }
        }
    }

    @Test
    void closingQuietStreamsEndsTheirSubscriptionsAndHeartbeats() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> log.subscriberCount() == 0);
        SseFrames first = SseFrames.open(URI.create(events + "?after=" + log.head().offset()), TOKEN);
        SseFrames second = SseFrames.open(events, TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> log.subscriberCount() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> pings(first) >= 1 && pings(second) >= 1);

        first.close();
        second.close();
        // no event is published: the server learns of the closed connections on its own (at the latest when the
        // next heartbeat fails to write) and drops the subscriptions, which are all the heartbeat timer looks at
        await().atMost(Duration.ofSeconds(20)).until(() -> log.subscriberCount() == 0);
    }

    private static int pings(SseFrames stream) {
        return (int) stream.lines().stream().filter(": ping"::equals).count();
    }

    private void awaitNoSubscribers() {
        // the server notices a closed connection at the latest when it next writes to it
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            log.publish("run.queued", "probe", null);
            return log.subscriberCount() == 0;
        });
    }

    @Test
    void metricsCountEventsByTypeAndSubscribers() {
        log.publish("metric.probe", "m", null);
        String metrics = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("monkeytown_events_published_total{service=\"event-stream-test\",type=\"metric.probe\"}"),
                metrics);
        assertTrue(metrics.contains("monkeytown_events_subscribers{"), "subscriber gauge");
        assertTrue(metrics.contains("monkeytown_events_subscribers_dropped_total{"), "dropped counter");
    }
}
