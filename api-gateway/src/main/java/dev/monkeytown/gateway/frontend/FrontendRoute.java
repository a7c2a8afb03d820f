package dev.monkeytown.gateway.frontend;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.GatewayOrder;

/**
 * The dashboard at {@code /}: the frontend module's files, and {@code index.html} for its page URLs so deep links
 * survive a reload. Served before authentication and rate limiting, as a CDN edge would serve them: they are public,
 * identical for everyone, and counting them would spend a visitor's API budget on page loads. That is safe because
 * nothing here reads the file system: a request gets a file only if its raw path equals a path the build listed, or
 * {@code index.html} if it is a page URL made of plain characters; everything else goes on down the pipeline unchanged.
 * <p>
 * Caching, for the browser and for a CDN in front: {@code /assets/*} are content-hashed, so
 * {@code Cache-Control: public, max-age=31536000, immutable}; {@code index.html}, {@code version.json} and the other
 * unhashed files are {@code no-cache} with an ETag, so every load revalidates (a 304 when nothing changed) and a new
 * build reaches the next page load without anyone forcing a refresh.
 */
@ApplicationScoped
public class FrontendRoute {

    /** Before authentication and the rate limiter, after path normalisation / classification. */
    static final int ORDER = GatewayOrder.AUTHENTICATION - 5;

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    /** A page URL: letters, digits and the few characters agent names and run ids use; no dot segments. */
    private static final Pattern PAGE_PATH = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?");

    private Optional<FrontendBundle> bundle = Optional.empty();

    void install(@Observes Router router) {
        bundle = FrontendBundle.load(Thread.currentThread().getContextClassLoader());
        if (bundle.isEmpty()) {
            Log.warnf("No frontend bundle on the class path (%s): the dashboard is not served at /",
                    FrontendBundle.ROOT);
            return;
        }
        Log.infof("Serving the dashboard build %s at /", bundle.get().build());
        router.route().order(ORDER).handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        FrontendBundle files = bundle.orElseThrow();
        String path = ctx.request().path();
        Optional<FrontendBundle.Asset> asset = files.file(path)
                .or(() -> isPage(files, path) ? Optional.of(files.index()) : Optional.empty());
        if (asset.isEmpty() || path.equals("/manifest.json")) {
            ctx.next();
            return;
        }
        send(ctx, asset.get(), path.startsWith("/assets/") ? IMMUTABLE : REVALIDATE);
    }

    static boolean isPage(FrontendBundle files, String path) {
        if (!PAGE_PATH.matcher(path).matches()) {
            return false;
        }
        return path.equals("/") || files.routes().stream()
                .anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    private static void send(RoutingContext ctx, FrontendBundle.Asset asset, String cacheControl) {
        HttpServerResponse response = ctx.response();
        response.putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .putHeader(HttpHeaders.ETAG, asset.etag())
                .putHeader(HttpHeaders.VARY, "Accept-Encoding")
                .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin");
        if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), asset.etag())) {
            response.setStatusCode(304).end();
            return;
        }
        String coding = coding(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING), asset);
        if (!coding.equals("identity")) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, coding);
        }
        var body = asset.encodings().get(coding);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(body);
        }
    }

    /** {@code If-None-Match}: a list of validators or {@code *}; weak comparison, as RFC 9110 asks for GET. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /** The best coding the client accepts and the build made: br, then gzip, else the plain bytes. */
    static String coding(String acceptEncoding, FrontendBundle.Asset asset) {
        if (acceptEncoding == null) {
            return "identity";
        }
        boolean br = false;
        boolean gzip = false;
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] fields = part.trim().split(";");
            String name = fields[0].trim();
            boolean refused = false;
            for (int i = 1; i < fields.length; i++) {
                String param = fields[i].trim();
                if (param.startsWith("q=")) {
                    refused = param.substring(2).trim().matches("0(\\.0*)?");
                }
            }
            if (!refused && name.equals("br")) {
                br = true;
            } else if (!refused && (name.equals("gzip") || name.equals("x-gzip"))) {
                gzip = true;
            }
        }
        if (br && asset.encodings().containsKey("br")) {
            return "br";
        }
        if (gzip && asset.encodings().containsKey("gzip")) {
            return "gzip";
        }
        return "identity";
    }
}
