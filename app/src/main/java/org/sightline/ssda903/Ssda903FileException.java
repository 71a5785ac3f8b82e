package org.sightline.ssda903;

/** A whole file cannot be read (encoding, CSV syntax, missing columns): nothing from it is imported. */
public class Ssda903FileException extends RuntimeException {

    private final String file;
    private final int line;

    public Ssda903FileException(String file, int line, String message) {
        super(file + (line > 0 ? " line " + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
