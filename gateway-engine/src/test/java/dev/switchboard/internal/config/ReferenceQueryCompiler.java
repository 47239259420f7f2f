package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.regex.RegexBudget;
import dev.switchboard.spi.support.NearestName;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The query compiler as it was before issue 16 (allocating per request), kept unchanged as the
 * reference the allocation-free {@link QueryCompiler} must agree with ({@code QueryCompilerAgreementTest}).
 */
final class ReferenceQueryCompiler {
    /** Values found at a path: empty = absent. */
    private interface ValueTest extends Predicate<List<JsonNode>> {}

    private final Problems problems;

    private ReferenceQueryCompiler(Problems problems) {
        this.problems = problems;
    }

    /** The compiled query, or null after reporting its problems. */
    static Query compile(JsonNode query, String pointer, Problems problems) {
        int before = problems.size();
        Predicate<JsonNode> predicate = new ReferenceQueryCompiler(problems).queryObject(query, pointer);
        if (predicate == null || problems.grewSince(before)) {
            return null;
        }
        return new CompiledQuery(predicate, Json.text(query));
    }

    private Predicate<JsonNode> queryObject(JsonNode query, String pointer) {
        if (query == null || !query.isObject()) {
            problems.add(pointer, Found.value(query), "a query object ({\"metadata.plan\": \"paid\"})");
            return null;
        }
        List<Predicate<JsonNode>> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = query.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String at = ConfigObject.pointer(pointer, key);
            if (key.equals("$and") || key.equals("$or")) {
                parts.add(logical(key, field.getValue(), at));
            } else if (key.startsWith("$") && !key.startsWith("$.")) {
                problems.add(
                        at,
                        "operator " + key,
                        "$and, $or or a path (metadata.…, params.…, url.…, $.…)",
                        NearestName.suggest(key, ConfigKeys.LOGICAL_OPERATORS));
            } else {
                parts.add(field(key, field.getValue(), at));
            }
        }
        return context -> {
            for (Predicate<JsonNode> part : parts) {
                if (part == null || !part.test(context)) {
                    return false;
                }
            }
            return true;
        };
    }

    private Predicate<JsonNode> logical(String operator, JsonNode operand, String pointer) {
        if (!operand.isArray() || operand.isEmpty()) {
            problems.add(pointer, Found.value(operand), "a non-empty array of queries");
            return null;
        }
        List<Predicate<JsonNode>> subs = new ArrayList<>();
        for (int i = 0; i < operand.size(); i++) {
            subs.add(queryObject(operand.get(i), ConfigObject.pointer(pointer, i)));
        }
        boolean any = operator.equals("$or");
        return context -> {
            for (Predicate<JsonNode> sub : subs) {
                if (sub != null && sub.test(context) == any) {
                    return any;
                }
            }
            return !any;
        };
    }

    private Predicate<JsonNode> field(String path, JsonNode condition, String pointer) {
        QueryPath queryPath;
        try {
            queryPath = QueryPath.compile(path);
        } catch (IllegalArgumentException e) {
            problems.add(pointer, "path \"" + path + "\"", e.getMessage());
            return null;
        }
        ValueTest test = isOperatorObject(condition) ? operators(condition, pointer) : equalTo(condition);
        return test == null ? null : context -> test.test(queryPath.resolve(context));
    }

    private static boolean isOperatorObject(JsonNode node) {
        if (!node.isObject()) {
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            if (names.next().startsWith("$")) {
                return true;
            }
        }
        return false;
    }

    /** An object of operators, all AND-ed. */
    private ValueTest operators(JsonNode object, String pointer) {
        List<ValueTest> tests = new ArrayList<>();
        boolean ok = true;
        Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            ValueTest test = operator(field.getKey(), field.getValue(), ConfigObject.pointer(pointer, field.getKey()));
            ok &= test != null;
            tests.add(test);
        }
        if (!ok) {
            return null;
        }
        return values -> {
            for (ValueTest t : tests) {
                if (!t.test(values)) {
                    return false;
                }
            }
            return true;
        };
    }

    private ValueTest operator(String op, JsonNode operand, String pointer) {
        switch (op) {
            case "$eq":
                return equalTo(operand);
            case "$ne":
                return not(equalTo(operand));
            case "$gt":
                return ordered(operand, c -> c > 0);
            case "$gte":
                return ordered(operand, c -> c >= 0);
            case "$lt":
                return ordered(operand, c -> c < 0);
            case "$lte":
                return ordered(operand, c -> c <= 0);
            case "$in":
            case "$nin":
                if (!operand.isArray()) {
                    problems.add(pointer, Found.value(operand), "an array of values for " + op);
                    return null;
                }
                List<JsonNode> candidates = new ArrayList<>();
                operand.forEach(candidates::add);
                ValueTest in = values -> values.stream().anyMatch(v -> candidates.stream()
                        .anyMatch(candidate -> ReferenceQueryValues.equal(v, candidate)));
                return op.equals("$in") ? in : not(in);
            case "$regex":
                return regex(operand, pointer);
            case "$exists":
                if (!operand.isBoolean()) {
                    problems.add(pointer, Found.value(operand), "true or false for $exists");
                    return null;
                }
                boolean exists = operand.booleanValue();
                return values -> values.isEmpty() != exists;
            case "$not":
                if (!isOperatorObject(operand)) {
                    problems.add(pointer, Found.value(operand), "an operator object for $not ({\"$eq\": \"x\"})");
                    return null;
                }
                ValueTest inner = operators(operand, pointer);
                return inner == null ? null : not(inner);
            default:
                problems.add(
                        pointer,
                        "operator " + op,
                        "one of " + new TreeSet<>(ConfigKeys.VALUE_OPERATORS),
                        NearestName.suggest(op, ConfigKeys.VALUE_OPERATORS));
                return null;
        }
    }

    private static ValueTest equalTo(JsonNode operand) {
        return values -> values.stream().anyMatch(v -> ReferenceQueryValues.equal(v, operand));
    }

    private static ValueTest ordered(JsonNode operand, IntPredicate accept) {
        return values -> values.stream().anyMatch(v -> {
            Integer c = ReferenceQueryValues.compare(v, operand);
            return c != null && accept.test(c);
        });
    }

    private ValueTest regex(JsonNode operand, String pointer) {
        if (!operand.isTextual()) {
            problems.add(pointer, Found.value(operand), "a regular expression string for $regex");
            return null;
        }
        String tooLong = RegexBudget.DEFAULT.patternProblem(operand.textValue());
        if (tooLong != null) {
            problems.add(
                    pointer,
                    "$regex " + tooLong,
                    "a regular expression of at most " + RegexBudget.MAX_PATTERN_LENGTH + " characters");
            return null;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(operand.textValue());
        } catch (PatternSyntaxException e) {
            problems.add(
                    pointer,
                    "invalid regex " + Found.value(operand) + " (" + e.getDescription() + ")",
                    "a valid Java regular expression");
            return null;
        }
        return values -> values.stream().anyMatch(v -> {
            String text = ReferenceQueryValues.text(v);
            // bounded: a runaway match throws RegexBudgetExceededException, and CompiledQuery
            // turns that into "the condition does not match"
            return text != null
                    && pattern.matcher(RegexBudget.DEFAULT.bound(text)).find();
        });
    }

    private static ValueTest not(ValueTest test) {
        return values -> !test.test(values);
    }
}
