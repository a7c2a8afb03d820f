package dev.monkeytown.events.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import dev.monkeytown.events.Head;
import dev.monkeytown.kit.security.InternalToken;

/** The two calls this client makes to one producer; anything but a 200 fails with {@link ProducerRefusedException}. */
final class ProducerEndpoint {

    private static final int MAX_ERROR_BODY = 512;

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final ObjectMapper json;
    private final long headTimeoutMillis;

    ProducerEndpoint(HttpClient http, URI base, String token, ObjectMapper json, Duration headTimeout) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.json = json;
        this.headTimeoutMillis = headTimeout.toMillis();
    }

    URI base() {
        return base;
    }

    Future<Head> head() {
        return http.request(options("/internal/events/head").setIdleTimeout(headTimeoutMillis))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new ProducerRefusedException(response.statusCode(), truncate(body.toString()));
                    }
                    try {
                        return json.readValue(body.getBytes(), Head.class);
                    } catch (IOException e) {
                        throw new IllegalStateException("unreadable head answer: " + e.getMessage(), e);
                    }
                }));
    }

    /** The open stream after {@code from}; its handlers must be set in the callback that receives it. */
    Future<HttpClientResponse> stream(StreamPosition from) {
        String path = "/internal/events?after=" + from.offset() + "&epoch=" + from.epoch();
        return http.request(options(path))
                .compose(request -> request.send())
                .compose(response -> {
                    if (response.statusCode() == 200) {
                        return Future.succeededFuture(response);
                    }
                    return response.body().transform(body -> Future.failedFuture(new ProducerRefusedException(
                            response.statusCode(), body.succeeded() ? truncate(body.result().toString()) : null)));
                });
    }

    private RequestOptions options(String path) {
        return new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(base + path)
                .putHeader(InternalToken.HEADER, token)
                .putHeader("Accept", "text/event-stream, application/json");
    }

    private static String truncate(String body) {
        return body.length() <= MAX_ERROR_BODY ? body : body.substring(0, MAX_ERROR_BODY) + "…";
    }
}
