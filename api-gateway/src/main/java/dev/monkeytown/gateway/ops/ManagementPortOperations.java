package dev.monkeytown.gateway.ops;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import dev.monkeytown.kit.ops.LevelChange;
import dev.monkeytown.kit.ops.LogLevelResource;
import dev.monkeytown.kit.ops.ServiceInfoResource;
import dev.monkeytown.kit.problem.Problem;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.kit.security.InternalToken;

/**
 * The service kit's operations endpoints ({@code GET /internal/info}, {@code GET|PUT /internal/log-levels/{category}})
 * on the gateway's management interface. Every other service serves them on its HTTP port, which only the cluster
 * reaches; the gateway's HTTP port is the internet's, where the path guard answers 404 to anything under
 * {@code /internal}. Same contract as the kit's REST resources — internal token, validation problems naming the field —
 * and the same code behind it: the kit's resources and constraints, called here.
 */
@ApplicationScoped
class ManagementPortOperations {

    private static final long MAX_BODY = 4096;

    private final InternalToken token;
    private final ServiceInfoResource info;
    private final LogLevelResource logLevels;
    private final Validator validator;
    private final ObjectMapper json;
    private final Method get;
    private final Method set;

    ManagementPortOperations(InternalToken token, ServiceInfoResource info, LogLevelResource logLevels,
            Validator validator, ObjectMapper json) throws NoSuchMethodException {
        this.token = token;
        this.info = info;
        this.logLevels = logLevels;
        this.validator = validator;
        this.json = json;
        this.get = LogLevelResource.class.getMethod("get", String.class);
        this.set = LogLevelResource.class.getMethod("set", String.class, LevelChange.class);
    }

    void install(@Observes ManagementInterface management) {
        Router router = management.router();
        router.route("/internal*").handler(this::requireToken);
        router.get("/internal/info").handler(ctx -> send(ctx, 200, info.info()));
        router.get("/internal/log-levels/:category").handler(this::readLevel);
        router.put("/internal/log-levels/:category").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(this::changeLevel);
        router.route("/internal*").handler(ctx -> problem(ctx, Problem.of(ProblemType.HTTP_STATUS, 404,
                "No internal endpoint " + ctx.request().method() + " " + ctx.request().path() + ".",
                ctx.request().path())));
    }

    private void requireToken(RoutingContext ctx) {
        String presented = ctx.request().getHeader(InternalToken.HEADER);
        if (token.matches(presented)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "MonkeytownInternal realm=\"monkeytown\"");
        problem(ctx, Problem.of(ProblemType.INTERNAL_TOKEN, 401, presented == null
                ? "This endpoint is internal: send the " + InternalToken.HEADER + " header"
                : "The " + InternalToken.HEADER + " header does not match this service's token",
                ctx.request().path()));
    }

    private void readLevel(RoutingContext ctx) {
        String category = ctx.pathParam("category");
        if (valid(ctx, validator.forExecutables().validateParameters(logLevels, get, new Object[]{category}))) {
            send(ctx, 200, logLevels.get(category));
        }
    }

    private void changeLevel(RoutingContext ctx) {
        String category = ctx.pathParam("category");
        LevelChange change = null;
        Buffer body = ctx.body().buffer();
        if (body != null && body.length() > 0) {
            try {
                change = json.readValue(body.getBytes(), LevelChange.class);
            } catch (java.io.IOException e) {
                // Jackson's own message quotes the payload; never echo a body
                problem(ctx, Problem.of(ProblemType.MALFORMED_BODY, 400,
                        "The body could not be read as the expected JSON", ctx.request().path()));
                return;
            }
        }
        if (valid(ctx, validator.forExecutables().validateParameters(logLevels, set,
                new Object[]{category, change}))) {
            send(ctx, 200, logLevels.set(category, change));
        }
    }

    /** True when there is nothing to complain about; otherwise the 400 problem is sent. */
    private boolean valid(RoutingContext ctx, Set<ConstraintViolation<LogLevelResource>> violations) {
        if (violations.isEmpty()) {
            return true;
        }
        List<Problem.Violation> fields = violations.stream()
                .map(v -> new Problem.Violation(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        String detail = fields.size() == 1
                ? fields.get(0).field() + ": " + fields.get(0).message()
                : fields.size() + " fields are invalid";
        problem(ctx, new Problem(ProblemType.VALIDATION.uri(), ProblemType.VALIDATION.title(400), 400, detail,
                ctx.request().path(), null, fields));
        return false;
    }

    /** The name a client knows: "set.change.level" is "level", "get.category" is "category". */
    private static String field(Path path) {
        String parameter = null;
        List<String> properties = new ArrayList<>();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, BEAN, CONTAINER_ELEMENT -> properties.add(node.toString());
                default -> {
                }
            }
        }
        return properties.isEmpty() ? String.valueOf(parameter) : String.join(".", properties);
    }

    private void problem(RoutingContext ctx, Problem problem) {
        write(ctx, problem.status(), Problem.MEDIA_TYPE, problem);
    }

    private void send(RoutingContext ctx, int status, Object body) {
        write(ctx, status, "application/json", body);
    }

    private void write(RoutingContext ctx, int status, String contentType, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", contentType)
                    .end(Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
