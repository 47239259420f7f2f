package dev.switchboard.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link GuardrailCheck#prepare} when a check's parameters are wrong, listing every
 * problem at once. At build time the gateway reports the problems as a {@code ConfigException}
 * naming each parameter's JSON pointer; thrown at request time it counts as the check erroring.
 * An {@link IllegalArgumentException}, so checks that validated with those keep their contract.
 *
 * <pre>{@code
 * throw new InvalidParametersException("maxWords", "\"five\"", "a non-negative integer");
 * }</pre>
 */
public final class InvalidParametersException extends IllegalArgumentException {
    /** The problems, in the order the check found them; never empty. */
    private final List<ParameterProblem> problems;

    /**
     * An exception for one or more problems (at least one).
     *
     * @param problems every problem found, in the order the check found them
     * @throws IllegalArgumentException when {@code problems} is null or empty
     */
    public InvalidParametersException(List<ParameterProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * An exception for a single problem without a suggestion.
     *
     * @param parameter the parameter's name or path (see {@link ParameterProblem#parameter()})
     * @param found     what was there, shortened; never a secret
     * @param expected  what would be valid
     */
    public InvalidParametersException(String parameter, String found, String expected) {
        this(List.of(new ParameterProblem(parameter, found, expected)));
    }

    /** {@return the problems, in the order the check found them; never empty} */
    public List<ParameterProblem> problems() {
        return problems;
    }

    private static String format(List<ParameterProblem> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidParametersException needs at least one problem");
        }
        return problems.stream().map(ParameterProblem::toString).collect(Collectors.joining("; "));
    }
}
