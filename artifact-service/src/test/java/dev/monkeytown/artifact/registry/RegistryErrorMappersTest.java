package dev.monkeytown.artifact.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import dev.monkeytown.state.StateUnavailableException;

/**
 * What a client is told when the store could not answer in time (a write may have landed, so never "nothing"), and
 * that a failure of ours reaches an OCI client in the one form it parses.
 */
class RegistryErrorMappersTest {

    @Test
    void anUnavailableStoreDoesNotPromiseThatNothingWasChanged() {
        Response response = new RegistryErrorMappers().unavailable(
                new StateUnavailableException("the commit may or may not have been recorded", null),
                uri("/v2/builds/web/manifests/latest"));

        assertEquals(503, response.getStatus());
        String detail = detail(response);
        assertFalse(detail.contains("nothing was changed"), detail);
        assertTrue(detail.contains("may or may not have been recorded"), detail);
    }

    @Test
    void anUnexpectedFailureOnTheRegistryIsA500InTheSpecsFormWithAnErrorId() {
        Response response = new RegistryErrorMappers().unexpected(new NumberFormatException("For input string"),
                uri("/v2/builds/web/blobs/uploads/1"));

        assertEquals(500, response.getStatus());
        assertEquals("application/json", response.getMediaType().toString());
        String detail = detail(response);
        assertTrue(detail.matches(".*error id [0-9a-f-]{36}.*"), detail);
        assertFalse(detail.contains("For input string"), detail);
    }

    @Test
    void anUnexpectedFailureElsewhereStaysProblemJson() {
        Response response = new RegistryErrorMappers().unexpected(new IllegalStateException("bug"),
                uri("/api/v1/artifacts"));

        assertEquals(500, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
    }

    @SuppressWarnings("unchecked")
    private static String detail(Response response) {
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
        return (String) errors.get(0).get("detail");
    }

    private static UriInfo uri(String path) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[]{UriInfo.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getPath") && (args == null || args.length == 0)) {
                        return path;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
