package org.sightline.linkage.normalise;

import org.jspecify.annotations.Nullable;
import org.sightline.linkage.model.FieldSpec.InvalidDatePolicy;

/**
 * Parses dates into digit strings: {@code yyyymmdd} for full dates, {@code yyyymm} or {@code yyyy} for partial ones.
 * Layouts are built from the letters y, M and d plus any separators, e.g. {@code yyyy-MM-dd}, {@code dd/MM/yyyy},
 * {@code yyyyMMdd}. With a separated layout, partial values ({@code yyyy-MM}, {@code yyyy}) are accepted.
 */
public final class Dates {
    private final String layout;
    private final int yPos;
    private final int mPos;
    private final int dPos;
    private final boolean separated;

    public Dates(String layout) {
        this.layout = layout;
        yPos = layout.indexOf("yyyy");
        mPos = layout.indexOf("MM");
        dPos = layout.indexOf("dd");
        if (yPos < 0 || mPos < 0 || dPos < 0 || layout.length() > 12) {
            throw new IllegalArgumentException("date format '" + layout
                    + "' must contain yyyy, MM and dd (e.g. yyyy-MM-dd, dd/MM/yyyy, yyyyMMdd)");
        }
        boolean sep = false;
        for (char c : layout.toCharArray()) {
            if (c != 'y' && c != 'M' && c != 'd') {
                sep = true;
            }
        }
        separated = sep;
    }

    public String layout() {
        return layout;
    }

    /** Thrown for a value that does not fit the layout when the policy is ERROR. */
    public static final class BadDateException extends RuntimeException {
        public BadDateException(String message) {
            super(message);
        }
    }

    /** Parses {@code raw}; null for blank input. */
    public @Nullable String parse(@Nullable String raw, InvalidDatePolicy policy) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            return null;
        }
        String digits = parseShape(s);
        if (digits == null) {
            return reject(s, policy, "does not match the date format " + layout);
        }
        if (!plausible(digits)) {
            if (policy == InvalidDatePolicy.KEEP_DIGITS) {
                return digits;
            }
            return reject(s, policy, "is not a calendar date");
        }
        return digits;
    }

    private @Nullable String reject(String s, InvalidDatePolicy policy, String why) {
        if (policy == InvalidDatePolicy.ERROR) {
            throw new BadDateException("'" + s + "' " + why);
        }
        return null;
    }

    private @Nullable String parseShape(String s) {
        if (s.length() == layout.length()) {
            for (int i = 0; i < s.length(); i++) {
                char l = layout.charAt(i);
                char c = s.charAt(i);
                boolean digitSlot = l == 'y' || l == 'M' || l == 'd';
                if (digitSlot != isDigit(c) || (!digitSlot && c != l)) {
                    return null;
                }
            }
            return s.substring(yPos, yPos + 4) + s.substring(mPos, mPos + 2) + s.substring(dPos, dPos + 2);
        }
        if (!separated) {
            return null;
        }
        // Partial dates: always year first, ISO style (yyyy-MM or yyyy), whatever the full layout.
        if (s.length() == 4 && allDigits(s)) {
            return s;
        }
        if (s.length() == 7 && allDigits(s.substring(0, 4)) && !isDigit(s.charAt(4)) && allDigits(s.substring(5))) {
            return s.substring(0, 4) + s.substring(5);
        }
        return null;
    }

    private static boolean plausible(String d) {
        int year = Integer.parseInt(d.substring(0, 4));
        if (year < 1800 || year > 2200) {
            return false;
        }
        if (d.length() >= 6) {
            int month = Integer.parseInt(d.substring(4, 6));
            if (month < 1 || month > 12) {
                return false;
            }
            if (d.length() == 8) {
                int day = Integer.parseInt(d.substring(6, 8));
                return day >= 1 && day <= java.time.YearMonth.of(year, month).lengthOfMonth();
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
