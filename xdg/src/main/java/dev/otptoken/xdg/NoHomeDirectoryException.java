package dev.otptoken.xdg;

import java.io.IOException;

/** Neither the directory's variable nor the home directory gives an absolute path. */
public final class NoHomeDirectoryException extends IOException {
    NoHomeDirectoryException(String message) {
        super(message);
    }
}
