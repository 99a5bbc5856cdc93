package org.edgevim.core.image;

import java.io.IOException;
import java.io.InputStream;

/** The verified bytes of an image in the VIM's own store, readable as often as a copy needs. */
public interface ImageSource {

    ImageRef image();

    /** A fresh stream over all {@link ImageRef#size()} bytes; the caller closes it. */
    InputStream open() throws IOException;
}
