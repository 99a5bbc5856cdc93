package org.edgevim.core.error;

/**
 * Base of every failure the VIM reports to its callers. Each subclass maps to exactly one
 * {@link Kind}, which the API turns into an HTTP status; the message is the problem's
 * {@code detail} and must make sense to an operator without a stack trace.
 */
public abstract class VimException extends RuntimeException {

    /** What kind of failure this is, independent of any transport. */
    public enum Kind {
        /** The request itself is wrong (a field, a value). */
        INVALID_INPUT,
        /** Something the request names does not exist. */
        NOT_FOUND,
        /** The request is well-formed but conflicts with the current state. */
        CONFLICT,
        /** The backend (a hypervisor host, a cloud) failed to do what it was asked. */
        BACKEND_FAILURE
    }

    protected VimException(String message) {
        super(message);
    }

    protected VimException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract Kind kind();
}
