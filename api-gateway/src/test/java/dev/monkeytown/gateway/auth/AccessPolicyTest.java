package dev.monkeytown.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.monkeytown.gateway.classify.Classifier;
import dev.monkeytown.gateway.pipeline.Role;

class AccessPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "GET,     /api/v1/agents,                        ANONYMOUS, VIEWER",
            "HEAD,    /api/v1/runs/r1/log,                   ANONYMOUS, VIEWER",
            "OPTIONS, /api/v1/artifacts/a1/content,          ANONYMOUS, ANONYMOUS",
            "GET,     /api/v1/artifacts/a1,                  ANONYMOUS, VIEWER",
            "GET,     /api/v1/artifacts/a1/content,          VIEWER,    VIEWER",
            "HEAD,    /api/v1/artifacts/a1/content,          VIEWER,    VIEWER",
            "GET,     /api/v1/alerts,                        VIEWER,    VIEWER",
            "POST,    /api/v1/agents/greeter/runs,           OPERATOR,  OPERATOR",
            "PUT,     /api/v1/artifacts/a1/content,          OPERATOR,  OPERATOR",
            "PATCH,   /api/v1/environments/prod,             OPERATOR,  OPERATOR",
            "TRACE,   /api/v1/agents,                        OPERATOR,  OPERATOR",
            "DELETE,  /api/v1/artifacts/a1,                  ADMIN,     ADMIN",
            "GET,     /api/v1/runs/admin/reconcile,          ADMIN,     ADMIN",
            "POST,    /api/v1/deployments/admin,             ADMIN,     ADMIN",
            "GET,     /api/v1/agents/administrator,          ANONYMOUS, VIEWER",
    })
    void theRuleTable(String method, String path, Role withAnonymousReads, Role withoutAnonymousReads) {
        assertEquals(withAnonymousReads, new AccessPolicy(true).required(Classifier.access(method, path)));
        assertEquals(withoutAnonymousReads, new AccessPolicy(false).required(Classifier.access(method, path)));
    }
}
