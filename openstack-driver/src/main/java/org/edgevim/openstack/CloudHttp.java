package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.edgevim.core.error.BackendException;

/**
 * Requests to one cloud on behalf of one edge host (named in every failure): the token, the
 * service's endpoint from the catalogue, the microversion headers, and the one retry after a 401.
 */
final class CloudHttp {

    private final Cloud cloud;
    private final String hostId;

    CloudHttp(Cloud cloud, String hostId) {
        this.cloud = cloud;
        this.hostId = hostId;
    }

    String hostId() {
        return hostId;
    }

    String cloudName() {
        return cloud.settings().name();
    }

    java.time.Duration uploadTimeout() {
        return cloud.settings().uploadTimeout();
    }

    CloudSettings settings() {
        return cloud.settings();
    }

    Cloud cloud() {
        return cloud;
    }

    /** The token's project (private flavors are shared with it). */
    String projectId() {
        return cloud.keystone().token(hostId).projectId();
    }

    /** Sends the call; a 401 renews the token and sends it once more. Non-2xx statuses not tolerated throw. */
    HttpResponse<byte[]> send(Call call) {
        Token token = cloud.keystone().token(hostId);
        HttpResponse<byte[]> response = cloud.transport().send(hostId, call.action(), request(call, token));
        if (response.statusCode() == 401) {
            cloud.keystone().invalidate(token);
            token = cloud.keystone().token(hostId);
            response = cloud.transport().send(hostId, call.action(), request(call, token));
            if (response.statusCode() == 401) {
                throw new BackendException("cloud " + cloudName() + " refused a fresh token too (" + call.action()
                        + "): " + Errors.message(response), null);
            }
        }
        int status = response.statusCode();
        if ((status < 200 || status > 299) && !call.tolerated().contains(status)) {
            throw Errors.map(hostId, cloudName(), call.action(), response);
        }
        return response;
    }

    /** {@link #send} and the body as JSON. */
    JsonNode json(Call call) {
        return Json.read(send(call).body());
    }

    private HttpRequest request(Call call, Token token) {
        String base = token.catalog().endpoint(call.service().type, cloud.settings().endpointInterface(),
                cloud.settings().region()).orElseThrow(() -> new BackendException("cloud " + cloudName()
                        + " lists no " + cloud.settings().endpointInterface() + " " + call.service().type
                        + " endpoint" + (cloud.settings().region() == null ? "" : " in region " + cloud.settings().region())
                        + " in its service catalogue", null));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + call.path()))
                .timeout(call.timeout() != null ? call.timeout() : cloud.settings().requestTimeout())
                .header("X-Auth-Token", token.value())
                .header("Accept", "application/json");
        String microversion = call.service().microversion;
        if (microversion != null) {
            builder.header("OpenStack-API-Version", call.service().type + " " + microversion);
            if (call.service() == Service.COMPUTE) {
                builder.header("X-OpenStack-Nova-API-Version", microversion); // clouds before the generic header (2.27)
            }
        }
        if (call.contentType() != null) {
            builder.header("Content-Type", call.contentType());
        }
        builder.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().get());
        return builder.build();
    }
}
