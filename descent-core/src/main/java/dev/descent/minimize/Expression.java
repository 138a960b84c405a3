package dev.descent.minimize;

import dev.descent.DescentException;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A formula in the variables {@code x0, x1, ...} (also {@code x} = {@code x0} and
 * {@code y} = {@code x1}), parsed by recursive descent and evaluated as a computation on
 * {@link Tensor}s, so that backpropagation gives its gradient. Grammar, loosest first:
 * <pre>
 * expr    = term (('+' | '-') term)*
 * term    = unary (('*' | '/') unary)*
 * unary   = ('-' | '+') unary | power
 * power   = primary ('^' unary)?                  right-associative: 2^3^2 = 2^9
 * primary = number | variable | constant | function '(' expr ')' | '(' expr ')'
 * </pre>
 * so {@code -x^2 = -(x^2)} and {@code 2^-1 = 0.5}. Numbers are decimal with an optional
 * exponent ({@code 1.5e-3}); constants are {@code pi} and {@code e}; functions are
 * {@code sin cos exp log sqrt abs tanh}. A power with a constant exponent is {@code x^c}
 * (any real base for integer {@code c}); otherwise {@code a^b = exp(b·log a)}, for {@code a > 0}.
 *
 * <p>{@code sin} and {@code cos} have no element-wise op of their own in the tensor library:
 * each is written as its tangent line at the current point, {@code sin(u₀) + cos(u₀)·(u − u₀)}
 * with {@code u₀} the detached value of {@code u}. Its value is exactly {@code sin(u₀)} and
 * its derivative exactly {@code cos(u₀)}, which is all a first-order method asks for.
 *
 * <p>Errors are {@link DescentException}s that give the 1-based position of the problem:
 * {@code bad expression at 7: expected ')' ...}.
 */
public final class Expression {
    /** The functions a formula may call. */
    public static final List<String> FUNCTIONS = List.of("sin", "cos", "exp", "log", "sqrt", "abs", "tanh");

    private final String text;
    private final Node root;
    private final int variables;

    private Expression(String text, Node root, int variables) {
        this.text = text;
        this.root = root;
        this.variables = variables;
    }

    /** Parses {@code text}; throws a {@link DescentException} naming the position of the first error. */
    public static Expression parse(String text) {
        Parser p = new Parser(text);
        Node root = p.expression();
        p.skipBlanks();
        if (p.pos < text.length()) {
            throw p.error(p.pos, "unexpected '" + text.charAt(p.pos) + "'; expected an operator (+ - * / ^) or the end");
        }
        return new Expression(text, root, p.maxVariable + 1);
    }

    /** The formula as written. */
    public String text() {
        return text;
    }

    /** One more than the highest variable index used ({@code x0 + x2} has 3); 0 for a constant. */
    public int variables() {
        return variables;
    }

    /**
     * The formula computed on tensors: {@code vars[i]} is {@code x_i}; all have the same shape
     * (scalars when minimizing, a grid of points for a contour plot) and type FLOAT64.
     */
    public Tensor apply(Tensor[] vars) {
        return root.eval(vars);
    }

    /** The value at one point, without recording a graph. */
    public double value(double... x) {
        Tensor[] vars = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            vars[i] = Tensor.scalar(x[i], DType.FLOAT64);
        }
        return apply(vars).item();
    }

    @Override
    public String toString() {
        return text;
    }

    // ------------------------------------------------------------------ tree

    private sealed interface Node {
        Tensor eval(Tensor[] vars);
    }

    private record Num(double value) implements Node {
        public Tensor eval(Tensor[] vars) {
            return Tensor.scalar(value, DType.FLOAT64);
        }
    }

    private record Var(int index) implements Node {
        public Tensor eval(Tensor[] vars) {
            return vars[index];
        }
    }

    private record Neg(Node x) implements Node {
        public Tensor eval(Tensor[] vars) {
            return x.eval(vars).neg();
        }
    }

    private record Bin(char op, Node a, Node b) implements Node {
        public Tensor eval(Tensor[] vars) {
            Tensor l = a.eval(vars), r = b.eval(vars);
            return switch (op) {
                case '+' -> l.add(r);
                case '-' -> l.sub(r);
                case '*' -> l.mul(r);
                case '/' -> l.div(r);
                default -> throw new IllegalStateException("operator " + op);
            };
        }
    }

    private record Pow(Node base, Node exponent) implements Node {
        public Tensor eval(Tensor[] vars) {
            if (exponent instanceof Num n) {
                return base.eval(vars).pow(n.value());
            }
            return exponent.eval(vars).mul(base.eval(vars).log()).exp();
        }
    }

    private record Call(String function, Node argument) implements Node {
        public Tensor eval(Tensor[] vars) {
            Tensor u = argument.eval(vars);
            return switch (function) {
                case "sin" -> tangent(u, Math::sin, Math::cos);
                case "cos" -> tangent(u, Math::cos, v -> -Math.sin(v));
                case "exp" -> u.exp();
                case "log" -> u.log();
                case "sqrt" -> u.sqrt();
                case "abs" -> u.abs();
                case "tanh" -> u.tanh();
                default -> throw new IllegalStateException("function " + function);
            };
        }
    }

    /** {@code f(u₀) + f'(u₀)·(u − u₀)}: the value of {@code f(u)} with the derivative {@code f'(u)}. */
    private static Tensor tangent(Tensor u, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        Tensor u0 = u.detach();
        Tensor value = map(u0, f), slope = map(u0, df);
        if (!u.requiresGrad()) {
            return value;
        }
        return value.add(slope.mul(u.sub(u0)));
    }

    private static Tensor map(Tensor t, DoubleUnaryOperator f) {
        Tensor out = t.copy();
        for (int i = 0; i < out.size(); i++) {
            out.storage().set(i, f.applyAsDouble(t.storage().get(i)));
        }
        return out;
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        final String s;
        int pos;
        int maxVariable = -1;

        Parser(String s) {
            this.s = s;
        }

        DescentException error(int at, String message) {
            return new DescentException(String.format(Locale.ROOT, "bad expression at %d: %s in '%s'", at + 1, message, s));
        }

        void skipBlanks() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean accept(char c) {
            skipBlanks();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        Node expression() {
            Node left = term();
            while (true) {
                if (accept('+')) {
                    left = bin('+', left, term());
                } else if (accept('-')) {
                    left = bin('-', left, term());
                } else {
                    return left;
                }
            }
        }

        Node term() {
            Node left = unary();
            while (true) {
                if (accept('*')) {
                    left = bin('*', left, unary());
                } else if (accept('/')) {
                    left = bin('/', left, unary());
                } else {
                    return left;
                }
            }
        }

        /** {@code a op b}, computed now when both are numbers. */
        static Node bin(char op, Node a, Node b) {
            if (a instanceof Num x && b instanceof Num y) {
                return new Num(switch (op) {
                    case '+' -> x.value() + y.value();
                    case '-' -> x.value() - y.value();
                    case '*' -> x.value() * y.value();
                    default -> x.value() / y.value();
                });
            }
            return new Bin(op, a, b);
        }

        Node unary() {
            if (accept('-')) {
                Node x = unary();
                return x instanceof Num n ? new Num(-n.value()) : new Neg(x);
            }
            if (accept('+')) {
                return unary();
            }
            return power();
        }

        Node power() {
            Node base = primary();
            if (accept('^')) {
                Node exponent = unary();
                if (base instanceof Num b && exponent instanceof Num e) {
                    return new Num(Math.pow(b.value(), e.value()));
                }
                return new Pow(base, exponent);
            }
            return base;
        }

        Node primary() {
            skipBlanks();
            if (pos >= s.length()) {
                throw error(pos, "unexpected end; expected a number, a variable, a function or '('");
            }
            char c = s.charAt(pos);
            int start = pos;
            if (c == '(') {
                pos++;
                Node inner = expression();
                if (!accept(')')) {
                    throw error(pos, "expected ')' to close the '(' at " + (start + 1));
                }
                return inner;
            }
            if (Character.isDigit(c) || c == '.') {
                return number();
            }
            if (Character.isLetter(c) || c == '_') {
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                String name = s.substring(start, pos);
                if (FUNCTIONS.contains(name)) {
                    if (!accept('(')) {
                        throw error(pos, "expected '(' after the function " + name);
                    }
                    int open = pos - 1;
                    Node argument = expression();
                    if (!accept(')')) {
                        throw error(pos, "expected ')' to close the '(' at " + (open + 1));
                    }
                    return new Call(name, argument);
                }
                skipBlanks();
                if (pos < s.length() && s.charAt(pos) == '(') {
                    throw error(start, "unknown function '" + name + "'; choose one of: " + String.join(", ", FUNCTIONS));
                }
                return switch (name) {
                    case "x" -> variable(0);
                    case "y" -> variable(1);
                    case "pi" -> new Num(Math.PI);
                    case "e" -> new Num(Math.E);
                    default -> {
                        if (name.matches("x[0-9]{1,3}")) {
                            yield variable(Integer.parseInt(name.substring(1)));
                        }
                        throw error(start, "unknown variable '" + name + "'; use x, y or x0, x1, ...");
                    }
                };
            }
            throw error(pos, "unexpected '" + c + "'; expected a number, a variable, a function or '('");
        }

        Node variable(int index) {
            maxVariable = Math.max(maxVariable, index);
            return new Var(index);
        }

        Node number() {
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = save;
                }
            }
            String literal = s.substring(start, pos);
            try {
                return new Num(Double.parseDouble(literal));
            } catch (NumberFormatException e) {
                throw error(start, "malformed number '" + literal + "'");
            }
        }
    }
}
