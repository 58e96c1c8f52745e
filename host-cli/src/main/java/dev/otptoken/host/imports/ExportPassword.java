package dev.otptoken.host.imports;

/**
 * Where the password of an encrypted export comes from: the terminal without echo, or the
 * first line of {@code --export-password-file}; never an argument. The caller wipes the
 * returned characters after use.
 */
@FunctionalInterface
public interface ExportPassword {
    /**
     * @param file what is being opened, for the prompt (a file name, never a secret)
     * @throws ImportException when no password can be had (no terminal and no file)
     */
    char[] password(String file) throws ImportException;
}
