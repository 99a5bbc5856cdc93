package org.edgevim.openstack;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;

/**
 * One OpenStack cloud the VIM drives (an edge site), as configured under
 * {@code vim.openstack.clouds.<name>.*}. Credentials are either a user with a password (scoped to
 * {@code projectName}) or an application credential (which carries its own scope).
 *
 * @param name                  the cloud's name in host URIs: {@code openstack://<name>/<compute-host>}
 * @param authUrl               Keystone, e.g. {@code https://keystone.site-a:5000} (with or without {@code /v3})
 * @param region                region of the endpoints to use, or null for the first in the catalogue
 * @param endpointInterface     {@code public}, {@code internal} or {@code admin}
 * @param projectName           project for password auth
 * @param projectDomain         its domain name
 * @param userName              user for password auth, or null
 * @param userDomain            the user's domain name
 * @param password              or null
 * @param applicationCredentialId     or null
 * @param applicationCredentialSecret or null
 * @param network               {@code none} (no NIC, Nova 2.37+), {@code auto}, or a Neutron network UUID
 * @param availabilityZone      passed with every server create, or null
 * @param connectTimeout        TCP connect to any endpoint
 * @param requestTimeout        one HTTP exchange (an image upload is allowed {@link #uploadTimeout})
 * @param uploadTimeout         one image upload to Glance
 * @param pollInterval          between looks at an asynchronous state (BUILD, a migration)
 * @param buildTimeout          a server reaching ACTIVE
 * @param operationTimeout      start, stop, pause, reboot, delete reaching their end state
 * @param migrationTimeout      a live migration completing; then it is force-completed, and after as
 *                              long again aborted
 */
public record CloudSettings(String name, String authUrl, String region, String endpointInterface, String projectName,
        String projectDomain, String userName, String userDomain, String password, String applicationCredentialId,
        String applicationCredentialSecret, String network, String availabilityZone, Duration connectTimeout,
        Duration requestTimeout, Duration uploadTimeout, Duration pollInterval, Duration buildTimeout,
        Duration operationTimeout, Duration migrationTimeout) {

    static final Pattern CLOUD_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NETWORK = Pattern.compile("none|auto|[0-9a-fA-F-]{36}");

    public CloudSettings {
        String field = "vim.openstack.clouds." + name;
        if (name == null || !CLOUD_NAME.matcher(name).matches()) {
            throw new InvalidInputException("vim.openstack.clouds", "cloud names must be 1-63 lowercase letters, digits or '-'");
        }
        URI auth = URI.create(Objects.requireNonNull(authUrl, field + ".auth-url"));
        if (!("http".equals(auth.getScheme()) || "https".equals(auth.getScheme())) || auth.getHost() == null) {
            throw new InvalidInputException(field + ".auth-url", "must be an http(s) URL of Keystone");
        }
        if (!(endpointInterface.equals("public") || endpointInterface.equals("internal")
                || endpointInterface.equals("admin"))) {
            throw new InvalidInputException(field + ".interface", "must be public, internal or admin");
        }
        boolean byPassword = userName != null && password != null;
        boolean byAppCredential = applicationCredentialId != null && applicationCredentialSecret != null;
        if (byPassword == byAppCredential) {
            throw new InvalidInputException(field, "needs either user-name and password (with project-name) or "
                    + "application-credential-id and application-credential-secret");
        }
        if (byPassword && projectName == null) {
            throw new InvalidInputException(field + ".project-name", "is required with password authentication");
        }
        if (!NETWORK.matcher(network).matches()) {
            throw new InvalidInputException(field + ".network", "must be none, auto or a network UUID");
        }
        for (Duration d : new Duration[] {connectTimeout, requestTimeout, uploadTimeout, pollInterval, buildTimeout,
                operationTimeout, migrationTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidInputException(field, "timeouts and intervals must be positive");
            }
        }
    }

    boolean usesApplicationCredential() {
        return applicationCredentialId != null;
    }

    /** Keystone's base without a trailing {@code /v3}: {@code <base>/v3/auth/tokens} is where tokens come from. */
    String keystoneBase() {
        String base = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        return base.endsWith("/v3") ? base.substring(0, base.length() - 3) : base;
    }

    /** For logs and messages: never the secrets. */
    @Override
    public String toString() {
        return "cloud " + name + " (" + authUrl + ", " + (usesApplicationCredential()
                ? "application credential " + applicationCredentialId : "user " + userName + "@" + projectName) + ")";
    }
}
