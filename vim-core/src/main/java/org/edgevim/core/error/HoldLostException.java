package org.edgevim.core.error;

/**
 * A held migration (a memory shadow) reached its switch-over by itself -- the guest dirtied no
 * memory for long enough that the copy had nothing left to send -- and the driver cancelled it to
 * keep the VM on its source. The VM runs on its source; the shadow has to be built again.
 */
public final class HoldLostException extends VimException {

    /** How a migration ended this way is recognisable in its stored error. */
    public static final String PREFIX = "hold lost: ";

    public HoldLostException(String message, Throwable cause) {
        super(PREFIX + message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.BACKEND_FAILURE;
    }
}
