package dev.monkeytown.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;

import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Plugs hub4j into {@link GitHubTransport}. Why a connector rather than hub4j's own {@code HttpClientGitHubConnector}
 * plus hand-written REST calls: hub4j already knows GitHub's REST shapes (trees, blobs, commits, refs and the many
 * areas later services need), while the transport owns what hub4j does not do the way we need it (ETag revalidation,
 * single-flight, write pacing, back-off windows per rate-limit resource, metrics). With the connector every hub4j
 * call gets all of that, and nobody can bypass it by using hub4j directly.
 * <p>
 * hub4j cannot say that what it reads is immutable, so its reads of Git objects by full id (blobs, trees, commits) are
 * recognised by their path and sent as {@link GitHubTransport#sendImmutable immutable reads}: the state store keeps
 * those objects itself, and the ETag cache would hold the same bytes a second time.
 */
final class TransportConnector implements GitHubConnector {

    private final GitHubTransport transport;

    TransportConnector(GitHubTransport transport) {
        this.transport = transport;
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        byte[] body = null;
        if (request.hasBody()) {
            try (InputStream in = request.body()) {
                body = in.readAllBytes();
            }
        }
        ApiRequest apiRequest;
        try {
            apiRequest = new ApiRequest(request.method(), request.url().toURI(), request.allHeaders(), body,
                    ApiRequest.kindOf(request.method()));
        } catch (URISyntaxException e) {
            throw new IOException("hub4j built an invalid URL for " + request.method(), e);
        }
        ApiResponse response = apiRequest.namesGitObject()
                ? transport.sendImmutable(apiRequest)
                : transport.send(apiRequest);
        return new BufferedResponse(request, response);
    }

    private static final class BufferedResponse extends GitHubConnectorResponse.ByteArrayResponse {

        private final byte[] body;

        BufferedResponse(GitHubConnectorRequest request, ApiResponse response) {
            super(request, response.status(), response.headers());
            this.body = response.body();
        }

        @Override
        protected InputStream rawBodyStream() {
            return new ByteArrayInputStream(body);
        }
    }
}
