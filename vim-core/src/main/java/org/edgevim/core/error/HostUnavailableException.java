package org.edgevim.core.error;

/**
 * An edge host cannot be reached (daemon down, network cut). A conflict with the host's state
 * rather than a server fault: the caller may retry later or pick another host.
 */
public final class HostUnavailableException extends ConflictException {
    private final String hostId;

    public HostUnavailableException(String hostId, String reason, Throwable cause) {
        super("Edge host '" + hostId + "' is unreachable: " + reason, cause);
        this.hostId = hostId;
    }

    public String hostId() {
        return hostId;
    }
}
