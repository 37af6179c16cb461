package io.moon.operator.model;

/** Something wrong with a spec: the field's path (as in the YAML) and what is wrong with it. */
public record Problem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
