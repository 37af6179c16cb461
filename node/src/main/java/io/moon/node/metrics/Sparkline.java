package io.moon.node.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's ASCII sparklines (sparkline.c), for LATENCY GRAPH: each sample is a column whose height
 * in {@code rows} rows of three levels each shows its value between the smallest and the largest,
 * with an optional label written downwards beneath it.
 */
final class Sparkline {
    private static final String CHARSET = "_-`", CHARSET_FILL = "_o#";
    private static final int LEVELS = CHARSET.length();
    private static final int LABEL_MARGIN_TOP = 1;

    private record Sample(double value, String label) {}

    private final List<Sample> samples = new ArrayList<>();
    private double min, max;
    private int labels;

    int length() { return samples.size(); }

    void add(double value, String label) {
        if (label != null && label.isEmpty()) label = null;
        if (samples.isEmpty()) {
            min = max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        samples.add(new Sample(value, label));
        if (label != null) labels++;
    }

    /** Redis's sparklineRender: the samples in chunks of {@code columns}, one block each. */
    void render(StringBuilder out, int columns, int rows, boolean fill) {
        for (int j = 0; j < samples.size(); j += columns) {
            if (j != 0) out.append('\n');
            renderRange(out, rows, j, Math.min(columns, samples.size() - j), fill);
        }
    }

    private void renderRange(StringBuilder out, int rows, int offset, int len, boolean fill) {
        double relmax = max - min;
        if (relmax == 0) relmax = 1;
        int steps = LEVELS * rows;
        char[] chars = new char[len];
        for (int row = 0; ; row++) {
            boolean more = false;
            java.util.Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                Sample s = samples.get(j + offset);
                // As the C code: (int)(relval * steps) divided by relmax, then truncated.
                int step = (int) ((int) ((s.value - min) * steps) / relmax);
                if (step < 0) step = 0;
                if (step >= steps) step = steps - 1;
                if (row < rows) {
                    int charIndex = step - (rows - row - 1) * LEVELS;
                    more = true;
                    if (charIndex >= 0 && charIndex < LEVELS) chars[j] = (fill ? CHARSET_FILL : CHARSET).charAt(charIndex);
                    else if (fill && charIndex >= LEVELS) chars[j] = '|';
                } else {
                    if (labels > 0 && row - rows < LABEL_MARGIN_TOP) {
                        more = true;
                        break;
                    }
                    if (s.label != null) {
                        int labelChar = row - rows - LABEL_MARGIN_TOP;
                        if (s.label.length() > labelChar) {
                            more = true;
                            chars[j] = s.label.charAt(labelChar);
                        }
                    }
                }
            }
            if (!more) return;
            out.append(chars).append('\n');
        }
    }
}
