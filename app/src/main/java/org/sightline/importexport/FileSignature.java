package org.sightline.importexport;

import java.util.Optional;

/**
 * Recognises the files people most often give an import instead of CSV, by their first bytes, so the run fails at
 * once with E1000 naming what the file is (an .xlsx used to "complete" having received 0 rows).
 */
public final class FileSignature {

    /** Bytes {@link #nonCsv(byte[], int)} looks at. */
    public static final int LENGTH = 8;

    private FileSignature() {}

    /** What the file is when its first bytes show it is not text, e.g. "an Excel workbook (.xlsx) or other ZIP archive". */
    public static Optional<String> nonCsv(byte[] head, int length) {
        if (starts(head, length, 0x50, 0x4B, 0x03, 0x04) || starts(head, length, 0x50, 0x4B, 0x05, 0x06)) {
            return Optional.of("an Excel workbook (.xlsx), OpenDocument spreadsheet (.ods) or other ZIP archive");
        }
        if (starts(head, length, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return Optional.of("an Excel 97-2003 workbook (.xls) or other Office document");
        }
        if (starts(head, length, '%', 'P', 'D', 'F')) {
            return Optional.of("a PDF document");
        }
        if (starts(head, length, 0x1F, 0x8B)) {
            return Optional.of("a gzip-compressed file");
        }
        // UTF-16 text (which has NUL bytes too) is named by its own message.
        boolean utf16 = starts(head, length, 0xFE, 0xFF) || starts(head, length, 0xFF, 0xFE);
        for (int i = 0; i < length && !utf16; i++) {
            if (head[i] == 0) {
                return Optional.of("a binary file");
            }
        }
        return Optional.empty();
    }

    /** The one-line E1000 explanation for a file that is {@code type}. */
    public static String message(String type) {
        return "the file is " + type + ", not CSV: save it as CSV UTF-8 and import again";
    }

    private static boolean starts(byte[] head, int length, int... signature) {
        if (length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
