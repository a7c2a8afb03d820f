package dev.monkeytown.kit.testing;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to a service's management interface ({@code /q/health}, {@code /q/metrics}, {@code /q/openapi}), which
 * listens on its own port, never on the public one. Quarkus publishes where it listens in a test as
 * {@code test.management.url}.
 */
public final class Management {

    private Management() {
    }

    /** Like RestAssured's {@code given()}, aimed at the management interface. */
    public static RequestSpecification given() {
        URI url = url();
        return RestAssured.given().baseUri(url.getScheme() + "://" + url.getHost()).port(url.getPort());
    }

    public static URI url() {
        return URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
    }
}
