package dev.monkeytown.kit;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface ({@code /q/*}) in this module's own tests; services use
 * {@code dev.monkeytown.kit.testing.Management}, which this module cannot depend on.
 */
public final class TestManagement {

    private TestManagement() {
    }

    public static RequestSpecification given() {
        URI url = URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
        return RestAssured.given().baseUri(url.getScheme() + "://" + url.getHost()).port(url.getPort());
    }
}
