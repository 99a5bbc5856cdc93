package org.edgevim.core.error;

/** A resource named by the request does not exist. */
public final class NotFoundException extends VimException {

    public NotFoundException(String resourceKind, String id) {
        super("No " + resourceKind + " with id '" + id + "'");
    }

    private NotFoundException(String message) {
        super(message);
    }

    /** For cases the standard wording does not fit, e.g. "image X is not available on host Y". */
    public static NotFoundException withMessage(String message) {
        return new NotFoundException(message);
    }

    @Override
    public Kind kind() {
        return Kind.NOT_FOUND;
    }
}
