package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.logging.Logger;
import org.edgevim.core.error.BackendException;

/**
 * Keystone v3 authentication of one cloud: password or application credential. The token is
 * cached and shared by every host of the cloud; it is renewed shortly before it expires, and at
 * once when a service refuses it (401), whichever comes first.
 */
final class Keystone {

    private static final Logger LOG = Logger.getLogger(Keystone.class.getName());
    /** Renew this long before expires_at, so that a token never expires in the middle of a request. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    private final CloudSettings settings;
    private final Transport transport;
    private final Clock clock;
    private Token token;

    Keystone(CloudSettings settings, Transport transport, Clock clock) {
        this.settings = settings;
        this.transport = transport;
        this.clock = clock;
    }

    /** A valid token, from the cache or freshly issued. */
    synchronized Token token(String hostId) {
        if (token == null || clock.instant().isAfter(token.expiresAt().minus(RENEW_BEFORE))) {
            token = authenticate(hostId);
        }
        return token;
    }

    /** A service refused this token: forget it (unless another thread already replaced it). */
    synchronized void invalidate(Token refused) {
        if (token != null && token.value().equals(refused.value())) {
            LOG.info(() -> "Cloud " + settings.name() + " refused its Keystone token before expiry; re-authenticating");
            token = null;
        }
    }

    private Token authenticate(String hostId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.keystoneBase() + "/v3/auth/tokens"))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(authBody()))).build();
        HttpResponse<byte[]> response = transport.send(hostId, "authenticate with Keystone", request);
        if (response.statusCode() == 401) {
            throw new BackendException("Keystone of cloud " + settings.name() + " refused the VIM's credentials ("
                    + settings + "): " + Errors.message(response), null);
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw Errors.map(hostId, settings.name(), "authenticate with Keystone", response);
        }
        String value = response.headers().firstValue("X-Subject-Token").orElseThrow(() -> new BackendException(
                "Keystone of cloud " + settings.name() + " issued no X-Subject-Token", null));
        JsonNode body = Json.read(response.body()).path("token");
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(body.path("expires_at").asText());
        } catch (DateTimeParseException e) {
            throw new BackendException("Keystone of cloud " + settings.name() + " sent a token without a readable "
                    + "expires_at", e);
        }
        Token fresh = new Token(value, expiresAt, body.path("project").path("id").asText(null),
                new ServiceCatalog(body.path("catalog")));
        LOG.info(() -> "Cloud " + settings.name() + ": Keystone issued a " + fresh);
        return fresh;
    }

    private ObjectNode authBody() {
        ObjectNode auth = Json.object();
        ObjectNode identity = auth.putObject("auth").putObject("identity");
        if (settings.usesApplicationCredential()) {
            identity.putArray("methods").add("application_credential");
            identity.putObject("application_credential").put("id", settings.applicationCredentialId())
                    .put("secret", settings.applicationCredentialSecret());
            return auth; // an application credential carries its own project scope
        }
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.userName()).putObject("domain").put("name", settings.userDomain());
        user.put("password", settings.password());
        ObjectNode project = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
        project.put("name", settings.projectName()).putObject("domain").put("name", settings.projectDomain());
        return auth;
    }
}
