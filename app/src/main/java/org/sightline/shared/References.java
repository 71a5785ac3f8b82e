package org.sightline.shared;

import java.security.SecureRandom;

/**
 * References people read out and type (concern EC-…, on letters and phone calls): random, so one reveals nothing
 * about how many others exist or which came next, from an alphabet without look-alikes (Crockford's base 32: no I,
 * L, O or U), in two groups of five for reading aloud. 50 random bits: a repeat is refused by the column's unique
 * constraint long before it is likely.
 */
public final class References {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private References() {}

    /** e.g. {@code next("EC")} gives {@code EC-7K2QF-M9XTB}. */
    public static String next(String prefix) {
        StringBuilder ref = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                ref.append('-');
            }
            ref.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return ref.toString();
    }
}
