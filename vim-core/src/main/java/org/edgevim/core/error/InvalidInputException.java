package org.edgevim.core.error;

/** A request field has a value the VIM will not accept. Names the field so the caller can fix it. */
public final class InvalidInputException extends VimException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public Kind kind() {
        return Kind.INVALID_INPUT;
    }
}
