package org.edgevim.core.error;

/** The request is valid but cannot be carried out in the current state of the resource or host. */
public class ConflictException extends VimException {

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
