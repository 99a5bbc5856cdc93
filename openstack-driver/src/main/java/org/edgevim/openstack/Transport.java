package org.edgevim.openstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import org.edgevim.core.error.HostUnavailableException;

/**
 * One HTTP exchange with a cloud, whatever the status. A cloud that does not answer (refused,
 * reset, timed out) makes the host unavailable; statuses are the callers' business.
 */
final class Transport {

    private final String cloud;
    private final HttpClient client;

    Transport(String cloud, HttpClient client) {
        this.cloud = cloud;
        this.client = client;
    }

    HttpResponse<byte[]> send(String hostId, String action, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new HostUnavailableException(hostId, "cloud " + cloud + " did not answer within "
                    + request.timeout().map(t -> t.toSeconds() + " s").orElse("the timeout") + " (" + action + ", "
                    + request.method() + " " + request.uri().getPath() + ")", e);
        } catch (UncheckedIOException e) {
            throw new HostUnavailableException(hostId, "could not read the data to send to cloud " + cloud + " ("
                    + action + "): " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new HostUnavailableException(hostId, "cloud " + cloud + " cannot be reached (" + action + ", "
                    + request.uri().getHost() + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostUnavailableException(hostId, "interrupted while talking to cloud " + cloud, e);
        }
    }
}
