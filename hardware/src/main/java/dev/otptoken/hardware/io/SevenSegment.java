package dev.otptoken.hardware.io;

/**
 * Seven-segment encoding: bit 0 = a (top), 1 = b (top right), 2 = c (bottom right),
 * 3 = d (bottom), 4 = e (bottom left), 5 = f (top left), 6 = g (middle).
 */
public final class SevenSegment {
    public static final int A = 1, B = 1 << 1, C = 1 << 2, D = 1 << 3, E = 1 << 4, F = 1 << 5, G = 1 << 6;
    private static final int[] DIGITS = {
        A | B | C | D | E | F, B | C, A | B | D | E | G, A | B | C | D | G, B | C | F | G,
        A | C | D | F | G, A | C | D | E | F | G, A | B | C, A | B | C | D | E | F | G, A | B | C | D | F | G,
    };

    private SevenSegment() {
    }

    /**
     * The mask of {@code ch}: 0–9, '-', ' ', the letters A b C d E F H L n o P r t U, and the
     * rest of Steam's code alphabet (G J K M q V W X y, docs/hardware.md, "Display"). The
     * 26 characters a Steam code uses have 26 different masks, so a code reads back
     * unambiguously; K, M, W and X have no classic seven-segment form and take the shapes
     * listed there.
     */
    public static int encode(char ch) {
        if (ch >= '0' && ch <= '9') {
            return DIGITS[ch - '0'];
        }
        return switch (Character.toUpperCase(ch)) {
            case '-' -> G;
            case ' ' -> 0;
            case 'A' -> A | B | C | E | F | G;
            case 'B' -> C | D | E | F | G;
            case 'C' -> A | D | E | F;
            case 'D' -> B | C | D | E | G;
            case 'E' -> A | D | E | F | G;
            case 'F' -> A | E | F | G;
            case 'G' -> A | C | D | E | F;
            case 'H' -> B | C | E | F | G;
            case 'J' -> B | C | D | E;
            case 'K' -> A | C | E | F | G;
            case 'L' -> D | E | F;
            case 'M' -> A | C | E;
            case 'N' -> C | E | G;
            case 'O' -> C | D | E | G;
            case 'P' -> A | B | E | F | G;
            case 'Q' -> A | B | C | F | G;
            case 'R' -> E | G;
            case 'T' -> D | E | F | G;
            case 'U' -> B | C | D | E | F;
            case 'V' -> C | D | E;
            case 'W' -> B | D | F;
            case 'X' -> B | C | E | F;
            case 'Y' -> B | C | D | F | G;
            default -> throw new IllegalArgumentException("no seven-segment glyph for '" + ch + "'");
        };
    }
}
