package org.edgevim.core.error;

/** The backend was reachable but failed to carry out an operation it should have been able to do. */
public final class BackendException extends VimException {

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.BACKEND_FAILURE;
    }
}
