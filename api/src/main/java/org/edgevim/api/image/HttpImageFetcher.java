package org.edgevim.api.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.edgevim.core.image.ImageFetcher;

/**
 * Imports over http(s) with the JDK client, streaming the body. Redirects are followed except
 * from https to http, so an import is never silently downgraded.
 */
public final class HttpImageFetcher implements ImageFetcher {

    private final HttpClient client;
    private final Duration timeout;

    public HttpImageFetcher(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.timeout = timeout;
    }

    @Override
    public Download open(URI source) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(source).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode() + " from " + source);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Download(response.body(), length);
    }
}
