package dev.monkeytown.gateway.openapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.gateway.health.DownstreamServices;
import dev.monkeytown.kit.testing.Management;

@QuarkusTest
@TestProfile(PublicApiProfile.class)
class PublicApiOpenApiTest {

    /**
     * Shaped like agent-dispatcher's own /q/openapi: public paths, an internal one, Quarkus' own, and a path it has no
     * business describing (builds belong to build-service).
     */
    static final String AGENT_DISPATCHER = """
            {
              "openapi": "3.1.0",
              "info": {"title": "agent-dispatcher", "version": "0.1.0"},
              "paths": {
                "/api/v1/agents": {
                  "get": {
                    "operationId": "listAgents",
                    "responses": {"200": {"description": "The declared agents",
                      "content": {"application/json": {"schema": {"type": "array",
                        "items": {"$ref": "#/components/schemas/Agent"}}}}}}
                  }
                },
                "/api/v1/agents/{name}/runs": {
                  "parameters": [{"$ref": "#/components/parameters/AgentName"}],
                  "post": {
                    "operationId": "startRun",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunRequest"}}}},
                    "responses": {"202": {"description": "Queued",
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AgentRun"}}}}}
                  }
                },
                "/api/v1/runs/{id}": {
                  "delete": {"operationId": "cancelRun", "responses": {"204": {"description": "Cancelled"}}}
                },
                "/internal/events": {
                  "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/InternalEvent"}}}},
                    "responses": {"204": {"description": "Accepted"}}
                  }
                },
                "/q/health/ready": {"get": {"responses": {"200": {"description": "Ready"}}}},
                "/api/v1/builds": {"get": {"responses": {"200": {"description": "Not ours"}}}}
              },
              "components": {
                "schemas": {
                  "Agent": {"type": "object", "properties": {"name": {"type": "string"},
                    "schedule": {"$ref": "#/components/schemas/Schedule"}}},
                  "Schedule": {"type": "object", "properties": {"cron": {"type": "string"}}},
                  "RunRequest": {"type": "object", "properties": {"reason": {"type": "string"}}},
                  "AgentRun": {"type": "object", "properties": {"id": {"type": "string"},
                    "state": {"type": "string", "enum": ["QUEUED", "RUNNING", "DONE"]}}},
                  "InternalEvent": {"type": "object", "properties": {"kind": {"type": "string"}}}
                },
                "parameters": {
                  "AgentName": {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}
                }
              }
            }
            """;

    @DownstreamServices.Inject
    WireMockServer services;

    @BeforeEach
    void agentDispatcherUpDeployServiceDown() {
        services.resetAll();
        services.stubFor(get(urlPathEqualTo("/agent-dispatcher/q/openapi")).withQueryParam("format", equalTo("json"))
                .willReturn(okJson(AGENT_DISPATCHER)));
        services.stubFor(get(urlPathEqualTo("/deploy-service/q/openapi"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        // build-service and artifact-service: no stub, WireMock answers 404
    }

    @Test
    void thePublicPathsOfAServiceAreMergedWithTheSchemasTheyUse() {
        Management.given().queryParam("format", "json").when().get("/q/openapi")
                .then().log().ifValidationFails().statusCode(200)
                .body("paths", hasKey("/api/v1/agents"))
                .body("paths", hasKey("/api/v1/agents/{name}/runs"))
                .body("paths", hasKey("/api/v1/runs/{id}"))
                .body("paths.'/api/v1/agents'.get.operationId", is("listAgents"))
                .body("paths.'/api/v1/agents'.get.responses.'200'.content.'application/json'.schema.items.'$ref'",
                        is("#/components/schemas/Agent"))
                .body("components.schemas.Agent.properties.name.type", is("string"))
                // reached only through Agent
                .body("components.schemas.Schedule.properties.cron.type", is("string"))
                .body("components.schemas.AgentRun.properties.state.enum", hasItem("RUNNING"))
                .body("components.schemas", hasKey("RunRequest"))
                .body("components.parameters.AgentName.in", is("path"))
                // the gateway's own additions survive the merge
                .body("components.securitySchemes.bearer.scheme", is("bearer"))
                .body("info.'x-monkeytown-roles'.'writes (POST, PUT, PATCH)'", is("operator"));
    }

    @Test
    void internalAndForeignPathsAndTheSchemasOnlyTheyUseStayOut() {
        Management.given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", not(hasKey("/internal/events")))
                .body("paths", not(hasKey("/q/health/ready")))
                .body("paths", not(hasKey("/api/v1/builds")))
                .body("components.schemas", not(hasKey("InternalEvent")));
    }

    @Test
    void mergedOperationsCarryTheRoleTheyNeed() {
        Management.given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/v1/agents'.get.'x-monkeytown-role'", is("anonymous"))
                .body("paths.'/api/v1/agents'.get.security", nullValue())
                .body("paths.'/api/v1/agents/{name}/runs'.post.'x-monkeytown-role'", is("operator"))
                .body("paths.'/api/v1/agents/{name}/runs'.post.security[0]", hasKey("bearer"))
                .body("paths.'/api/v1/runs/{id}'.delete.'x-monkeytown-role'", is("admin"));
    }

    @Test
    void servicesThatDoNotAnswerAreListedAndTheDocumentIsStillServed() {
        Management.given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("'x-monkeytown-unavailable'", not(hasKey("agent-dispatcher")))
                .body("'x-monkeytown-unavailable'.'build-service'", is("answered HTTP 404"))
                .body("'x-monkeytown-unavailable'.'artifact-service'", is("answered HTTP 404"))
                .body("'x-monkeytown-unavailable'", hasKey("deploy-service"))
                .body("paths", hasKey("/api/v1/agents"));
    }

    @Test
    void aServiceAnsweringGarbageIsListedNotMerged() {
        services.stubFor(get(urlPathEqualTo("/build-service/q/openapi"))
                .willReturn(aResponse().withStatus(200).withBody("<html>proxy error</html>")));

        Management.given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("'x-monkeytown-unavailable'.'build-service'", startsWith("answered something that is not"))
                .body("paths", hasKey("/api/v1/agents"));
    }

    @Test
    void theYamlDocumentHasTheMergedPathsToo() {
        Management.given().when().get("/q/openapi")
                .then().statusCode(200)
                .body(containsString("/api/v1/agents/{name}/runs:"))
                .body(containsString("x-monkeytown-role: operator"))
                .body(not(containsString("/internal/events")));
    }

    @Test
    void thePublicReadsTheSameDocumentAsJsonAtApiV1WithoutAToken() {
        // /q/* is on the management port, which the internet does not reach
        given().when().get("/api/v1/openapi.json")
                .then().log().ifValidationFails().statusCode(200)
                .contentType(containsString("application/json"))
                .body("paths", hasKey("/api/v1/agents"))
                .body("paths.'/api/v1/agents/{name}/runs'.post.'x-monkeytown-role'", is("operator"))
                .body("components.securitySchemes.bearer.scheme", is("bearer"))
                .body("'x-monkeytown-unavailable'", hasKey("deploy-service"));
    }

    @Test
    void servicesAreAskedWithoutTheInternalToken() {
        Management.given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200);

        services.verify(getRequestedFor(urlPathEqualTo("/agent-dispatcher/q/openapi"))
                .withHeader("X-Monkeytown-Internal-Token", absent()));
    }
}
