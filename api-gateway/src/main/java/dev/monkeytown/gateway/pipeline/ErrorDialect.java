package dev.monkeytown.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.kit.problem.Problem;
import dev.monkeytown.kit.problem.ProblemType;

/**
 * The language the gateway's own refusals speak, decided once per request by its classification and used by every
 * stage through {@link GatewayProblems}: RFC 9457 problems with a bearer challenge for the suite's API, the OCI
 * distribution spec's error form with a Basic challenge on the registry's {@code /v2/}, whose clients (docker, skopeo,
 * oras, crane) parse {@code errors[].code} and answer only a Basic challenge with credentials.
 */
public enum ErrorDialect {

    PROBLEM {
        @Override
        String contentType() {
            return Problem.MEDIA_TYPE;
        }

        @Override
        String body(RoutingContext ctx, ProblemType type, int status, String detail) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type.uri().toString());
            body.put("title", type.title(status));
            body.put("status", status);
            body.put("detail", detail);
            body.put("instance", ctx.request().path());
            return new JsonObject(body).encode();
        }

        @Override
        public String challenge(boolean invalidCredential) {
            return "Bearer realm=\"monkeytown\"" + (invalidCredential ? ", error=\"invalid_token\"" : "");
        }
    },

    OCI {
        @Override
        String contentType() {
            return "application/json";
        }

        /**
         * {@code {"errors":[{"code", "message", "detail"}]}}. The codes are the spec's (UNAUTHORIZED, DENIED,
         * SIZE_INVALID, MANIFEST_INVALID, UNSUPPORTED, TOOMANYREQUESTS) and, where it has none, the ones Docker's
         * registry answers (UNAVAILABLE for a service the gateway cannot reach, UNKNOWN otherwise). A 401 is exactly
         * the body artifact-service sends, without a detail: there is nothing to add to "authentication required".
         */
        @Override
        String body(RoutingContext ctx, ProblemType type, int status, String detail) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code(status));
            error.put("message", message(status));
            if (status != 401) {
                error.put("detail", detail);
            }
            return new JsonObject().put("errors", List.of(error)).encode();
        }

        /** As on every answer of artifact-service's {@code /v2/}: Docker's clients look for it. */
        @Override
        Map<String, String> headers() {
            return Map.of("Docker-Distribution-API-Version", "registry/2.0");
        }

        @Override
        public String challenge(boolean invalidCredential) {
            return "Basic realm=\"Monkeytown registry\", charset=\"UTF-8\"";
        }

        private static String code(int status) {
            return switch (status) {
                case 400, 404, 405 -> "UNSUPPORTED";
                case 401 -> "UNAUTHORIZED";
                case 403 -> "DENIED";
                case 413 -> "SIZE_INVALID";
                case 415 -> "MANIFEST_INVALID"; // the only body whose type the gateway checks on /v2 is a manifest's
                case 429 -> "TOOMANYREQUESTS";
                case 502, 503, 504 -> "UNAVAILABLE";
                default -> "UNKNOWN";
            };
        }

        private static String message(int status) {
            return switch (status) {
                case 400 -> "malformed request";
                case 401 -> "authentication required";
                case 403 -> "requested access to the resource is denied";
                case 404 -> "not found";
                case 405 -> "method not allowed";
                case 408 -> "request body arrived too slowly";
                case 413 -> "request body too large";
                case 415 -> "manifest media type not accepted";
                case 429 -> "too many requests";
                case 502, 503, 504 -> "registry unavailable";
                default -> "gateway error";
            };
        }
    };

    private static final String KEY = "monkeytown.error-dialect";

    abstract String contentType();

    /** Headers every refusal in this dialect carries. */
    Map<String, String> headers() {
        return Map.of();
    }

    abstract String body(RoutingContext ctx, ProblemType type, int status, String detail);

    /** The {@code WWW-Authenticate} value of a 401; {@code invalidCredential} when one was sent and refused. */
    public abstract String challenge(boolean invalidCredential);

    /** Attached by the classification: nothing else decides it. */
    public void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
    }

    /** The request's dialect; {@link #PROBLEM} for anything not classified (the management interface). */
    public static ErrorDialect of(RoutingContext ctx) {
        ErrorDialect dialect = ctx.get(KEY);
        return dialect == null ? PROBLEM : dialect;
    }
}
