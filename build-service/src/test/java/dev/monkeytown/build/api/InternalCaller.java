package dev.monkeytown.build.api;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

/** The API is reached through the gateway, which calls with the internal token; the tests call as it does. */
final class InternalCaller {

    private InternalCaller() {
    }

    static void install() {
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("X-Monkeytown-Internal-Token",
                ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class)).build();
    }

    static void uninstall() {
        RestAssured.requestSpecification = null;
    }
}
