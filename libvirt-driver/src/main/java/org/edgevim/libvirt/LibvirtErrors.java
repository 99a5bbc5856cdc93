package org.edgevim.libvirt;

import java.util.EnumSet;
import java.util.Set;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.VimException;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Turns libvirt's error codes into the VIM's exceptions, by code, never by message text. */
final class LibvirtErrors {

    /**
     * Codes that mean "the connection to the host is gone", not "the operation failed".
     * VIR_ERR_SYSTEM_ERROR is not among them: the host reports its own OS errors with it too, so
     * the caller decides by asking the connection whether it is still alive.
     */
    private static final Set<ErrorNumber> CONNECTION_LOST = EnumSet.of(
            ErrorNumber.VIR_ERR_NO_CONNECT,
            ErrorNumber.VIR_ERR_INVALID_CONN,
            ErrorNumber.VIR_ERR_RPC,
            ErrorNumber.VIR_ERR_AUTH_FAILED,
            ErrorNumber.VIR_ERR_AUTH_UNAVAILABLE,
            ErrorNumber.VIR_ERR_AUTH_CANCELLED);

    private LibvirtErrors() {
    }

    static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? ErrorNumber.VIR_ERR_INTERNAL_ERROR : e.getError().getCode();
    }

    static boolean isConnectionLost(LibvirtException e) {
        return CONNECTION_LOST.contains(code(e));
    }

    static boolean is(LibvirtException e, ErrorNumber number) {
        return code(e) == number;
    }

    static String message(LibvirtException e) {
        return e.getError() == null ? e.getMessage() : e.getError().getMessage();
    }

    /**
     * @param connectionLost whether the connection was found dead after the failure
     */
    static VimException translate(String hostId, String action, LibvirtException e, boolean connectionLost) {
        String message = message(e);
        if (connectionLost) {
            return new HostUnavailableException(hostId, message, e);
        }
        return new BackendException("Edge host '" + hostId + "' failed to " + action + ": " + message, e);
    }
}
