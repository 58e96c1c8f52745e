package dev.otptoken.host.session;

import java.io.IOException;

/** Where the password of a locked token comes from (standard input, a console, or nowhere). */
@FunctionalInterface
public interface PasswordSource {
    /**
     * A password, or null when there is no way to ask for one. The caller wipes the array.
     *
     * @param prompt what to ask, when asking a person
     */
    char[] read(String prompt) throws IOException;
}
