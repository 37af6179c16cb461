package io.moon.node.command;

import java.util.Random;

/**
 * The computer art of LOLWUT 5 and 6 (Redis's lolwut.c, lolwut5.c, lolwut6.c): a canvas of
 * pixels, Georg Nees's "Schotter" drawn in Braille characters, and a city skyline in the four
 * gray levels of a terminal. Randomness (C's rand()) comes from {@link Random}; without it (the
 * first two rows of Schotter) the output is Redis's, byte for byte.
 */
final class LolwutArt {
    private final int width, height;
    private final byte[] pixels;

    private LolwutArt(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height];
        java.util.Arrays.fill(pixels, (byte) background);
    }

    private void draw(int x, int y, int color) {
        if (x < 0 || x >= width || y < 0 || y >= height) return;
        pixels[x + y * width] = (byte) color;
    }

    private int get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) return 0;
        return pixels[x + y * width];
    }

    /** Bresenham's line, as lwDrawLine. */
    private void line(int x1, int y1, int x2, int y2, int color) {
        int dx = Math.abs(x2 - x1), dy = Math.abs(y2 - y1);
        int sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
        int err = dx - dy;
        while (true) {
            draw(x1, y1, color);
            if (x1 == x2 && y1 == y2) break;
            int e2 = err * 2;
            if (e2 > -dy) {
                err -= dy;
                x1 += sx;
            }
            if (e2 < dx) {
                err += dx;
                y1 += sy;
            }
        }
    }

    /** lwDrawSquare: a square of side {@code size} centred on x,y, rotated by {@code angle}; float maths as in C. */
    private void square(int x, int y, float size, float angle, int color) {
        int[] px = new int[4], py = new int[4];
        size = (float) (size / 1.4142135623);
        size = (float) cRound(size);
        float k = (float) (Math.PI / 4 + angle);
        for (int j = 0; j < 4; j++) {
            px[j] = (int) cRound(Math.sin(k) * size + x);
            py[j] = (int) cRound(Math.cos(k) * size + y);
            k = (float) (k + Math.PI / 2);
        }
        for (int j = 0; j < 4; j++) line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
    }

    /** C's round(): halves away from zero (Math.round takes them towards positive infinity). */
    private static double cRound(double v) { return Math.copySign(Math.floor(Math.abs(v) + 0.5), v); }

    // ------------------------------------------------------------------ LOLWUT 5

    /** lwDrawSchotter: rows of squares, more and more rotated and shifted going down. */
    static String schotter(int cols, int perRow, int perCol, Random random) {
        int canvasWidth = cols * 2;
        int padding = canvasWidth > 4 ? 2 : 0;
        float side = (float) (canvasWidth - padding * 2) / perRow;
        int canvasHeight = (int) (side * perCol + padding * 2);
        LolwutArt canvas = new LolwutArt(canvasWidth, canvasHeight, 0);
        for (int y = 0; y < perCol; y++) {
            for (int x = 0; x < perRow; x++) {
                int sx = (int) (x * side + side / 2 + padding);
                int sy = (int) (y * side + side / 2 + padding);
                float angle = 0;
                if (y > 1) {
                    float r1 = (float) random.nextDouble() / perCol * y;
                    float r2 = (float) random.nextDouble() / perCol * y;
                    float r3 = (float) random.nextDouble() / perCol * y;
                    if (random.nextBoolean()) r1 = -r1;
                    if (random.nextBoolean()) r2 = -r2;
                    if (random.nextBoolean()) r3 = -r3;
                    angle = r1;
                    sx = (int) (sx + r2 * side / 3);
                    sy = (int) (sy + r3 * side / 3);
                }
                canvas.square(sx, sy, side, angle, 1);
            }
        }
        return canvas.braille();
    }

    /** renderCanvas of LOLWUT 5: each 2x4 block of pixels as one Braille character. */
    private String braille() {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < height; y += 4) {
            for (int x = 0; x < width; x += 2) {
                int b = 0;
                if (get(x, y) != 0) b |= 1;
                if (get(x, y + 1) != 0) b |= 1 << 1;
                if (get(x, y + 2) != 0) b |= 1 << 2;
                if (get(x + 1, y) != 0) b |= 1 << 3;
                if (get(x + 1, y + 1) != 0) b |= 1 << 4;
                if (get(x + 1, y + 2) != 0) b |= 1 << 5;
                if (get(x, y + 3) != 0) b |= 1 << 6;
                if (get(x + 1, y + 3) != 0) b |= 1 << 7;
                text.append((char) (0x2800 + b));
            }
            // As the C code: rows step by 4, so this is true for the last row too unless height-1 is a multiple of 4.
            if (y != height - 1) text.append('\n');
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ LOLWUT 6

    /** LOLWUT 6: a skyline on a {@code cols} x {@code rows} canvas of terminal colours. */
    static String skyline(int cols, int rows, Random random) {
        LolwutArt canvas = new LolwutArt(cols, rows, 3);
        for (int color = 2; color >= 1; color--) {
            for (int offset = -10; offset < canvas.width; ) {
                offset += random.nextInt(8);
                int w = 10 + random.nextInt(9);
                int h = color == 2 ? canvas.height / 2 + random.nextInt(Integer.MAX_VALUE) % canvas.height / 2
                        : canvas.height / 2 + random.nextInt(Integer.MAX_VALUE) % canvas.height / 3;
                canvas.skyscraper(offset, w, h, false, color, random);
                offset += color == 2 ? w / 2 : w + 1;
            }
        }
        for (int offset = -10; offset < canvas.width; ) {
            offset += random.nextInt(8);
            int w = 5 + random.nextInt(14);
            if (w % 4 != 0) w += w % 3;
            int h = canvas.height / 3 + random.nextInt(Integer.MAX_VALUE) % canvas.height / 2;
            canvas.skyscraper(offset, w, h, true, 0, random);
            offset += w + 5;
        }
        return canvas.colours();
    }

    /** generateSkyscraper: a building, its roof two pixels narrower each side, windows in two grays. */
    private void skyscraper(int xoff, int w, int h, boolean windows, int color, Random random) {
        int starty = height - 1, endy = starty - h + 1;
        for (int y = starty; y >= endy; y--) {
            for (int x = xoff; x < xoff + w; x++) {
                if (y == endy && (x <= xoff + 1 || x >= xoff + w - 2)) continue;
                int c = color;
                if (windows && x > xoff + 1 && x < xoff + w - 2 && y > endy + 1 && y < starty - 1) {
                    int relx = x - (xoff + 1), rely = y - (endy + 1);
                    if (relx / 2 % 2 != 0 && rely % 2 != 0) {
                        do {
                            c = 1 + random.nextInt(2);
                        } while (c == color);
                        if (relx % 2 != 0) c = get(x - 1, y);
                    }
                }
                draw(x, y, c);
            }
        }
    }

    private static final String[] COLOURS = {"0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"};

    /** renderCanvas of LOLWUT 6: one blank per pixel, in its colour (foreground and background). */
    private String colours() {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c = get(x, y);
                text.append("\033[").append(c >= 0 && c < 4 ? COLOURS[c] : COLOURS[0]).append(" \033[0m");
            }
            if (y != height - 1) text.append('\n');
        }
        return text.toString();
    }
}
