package dev.monkeytown.gateway.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;

/**
 * The dashboard's built files (the {@code frontend} module's jar), read once into memory with the encodings the build
 * precompressed. Only paths the build's manifest lists exist here, so nothing a client sends can name another file.
 *
 * @param routes the dashboard's page prefixes ({@code /agents}, ...): GET on one of them, or below it, is answered with
 *        {@code index.html} so a deep link survives a reload
 */
record FrontendBundle(String build, List<String> routes, Map<String, Asset> files) {

    static final String ROOT = "META-INF/monkeytown-frontend";

    /**
     * One file: its bytes per content coding ({@code identity}, {@code br}, {@code gzip}) and a validator shared by
     * the codings (weak, since the bytes differ while the content is the same).
     */
    record Asset(String path, String contentType, String etag, Map<String, Buffer> encodings) {
    }

    Optional<Asset> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    Asset index() {
        return files.get("/index.html");
    }

    /** The bundle on the class path, or empty when the gateway was built without the frontend module. */
    static Optional<FrontendBundle> load(ClassLoader loader) {
        try (InputStream manifest = loader.getResourceAsStream(ROOT + "/manifest.json")) {
            if (manifest == null) {
                return Optional.empty();
            }
            JsonNode json = new ObjectMapper().readTree(manifest);
            Map<String, Asset> files = new LinkedHashMap<>();
            for (JsonNode entry : json.path("files")) {
                String path = entry.path("path").asText();
                Map<String, Buffer> encodings = new LinkedHashMap<>();
                byte[] identity = read(loader, path);
                encodings.put("identity", Buffer.buffer(identity));
                for (JsonNode coding : entry.path("encodings")) {
                    String name = coding.asText();
                    encodings.put(name, Buffer.buffer(read(loader, path + ("br".equals(name) ? ".br" : ".gz"))));
                }
                files.put(path, new Asset(path, contentType(path), "W/\"" + digest(identity) + "\"", Map.copyOf(encodings)));
            }
            if (!files.containsKey("/index.html")) {
                throw new IllegalStateException(ROOT + "/manifest.json lists no /index.html");
            }
            List<String> routes = new ObjectMapper().convertValue(json.path("routes"),
                    new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {
                    });
            return Optional.of(new FrontendBundle(json.path("build").asText(), List.copyOf(routes), Map.copyOf(files)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the frontend bundle " + ROOT, e);
        }
    }

    private static byte[] read(ClassLoader loader, String path) throws IOException {
        try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IOException("the frontend manifest lists " + path + " but the bundle has no such file");
            }
            return in.readAllBytes();
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "woff2" -> "font/woff2";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }
}
