package dev.monkeytown.github.testdouble;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Method plus path pattern to handler. Patterns are regexes; groups are handed to the handler. */
public final class Routes {

    @FunctionalInterface
    public interface Handler {
        DoubleResponse handle(DoubleRequest request, Matcher path);
    }

    /** {@code write} says whether GitHub counts the request as content-creating. */
    record Route(String method, Pattern path, Predicate<DoubleRequest> write, Handler handler) {
    }

    record Match(Route route, Matcher matcher) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Routes read(String method, String pathRegex, Handler handler) {
        return route(method, pathRegex, r -> false, handler);
    }

    public Routes write(String method, String pathRegex, Handler handler) {
        return route(method, pathRegex, r -> true, handler);
    }

    /** A route whose cost depends on the request, e.g. GraphQL queries versus mutations on one endpoint. */
    public Routes route(String method, String pathRegex, Predicate<DoubleRequest> write, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), write, handler));
        return this;
    }

    Optional<Match> find(String method, String path) {
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                return Optional.of(new Match(route, m));
            }
        }
        return Optional.empty();
    }
}
