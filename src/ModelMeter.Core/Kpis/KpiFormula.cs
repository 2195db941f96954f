using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Kpis;

/// <summary>
/// A KPI formula: numbers, <c>+ - * /</c>, parentheses, other KPIs by name, and calls <c>name(arg, ...)</c> whose
/// arguments are raw text (<c>cost(tag:model=ranker)</c>, <c>usage(predictions, model=ranker)</c>,
/// <c>previous(cost())</c>). What a call means is the evaluator's business; this type only parses and computes.
/// A value that cannot be had (no data, a division by zero) is null, and so is everything computed from it.
/// </summary>
public abstract record KpiFormula
{
    /// <summary>The value of the formula; <paramref name="resolve"/> answers function calls and KPI names (with no arguments).</summary>
    public abstract decimal? Evaluate(Func<KpiCall, decimal?> resolve);

    public static KpiFormula Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text, where);
        var formula = parser.Expression();
        parser.End();
        return formula;
    }

    private sealed class Parser(string text, string where)
    {
        private int _at;

        public KpiFormula Expression()
        {
            var left = Term();
            while (Peek() is '+' or '-')
            {
                var op = text[_at++];
                left = new Binary(op, left, Term());
            }

            return left;
        }

        public void End()
        {
            Skip();
            if (_at < text.Length)
            {
                throw Error($"unexpected '{text[_at..]}'");
            }
        }

        private KpiFormula Term()
        {
            var left = Factor();
            while (Peek() is '*' or '/')
            {
                var op = text[_at++];
                left = new Binary(op, left, Factor());
            }

            return left;
        }

        private KpiFormula Factor()
        {
            var c = Peek();
            if (c == '(')
            {
                _at++;
                var inner = Expression();
                Expect(')');
                return inner;
            }

            if (c == '-')
            {
                _at++;
                return new Binary('-', new Number(0), Factor());
            }

            if (c is not null && (char.IsDigit(c.Value) || c == '.'))
            {
                var start = _at;
                while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.'))
                {
                    _at++;
                }

                return decimal.TryParse(text[start.._at], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
                    ? new Number(n)
                    : throw Error($"'{text[start.._at]}' is not a number");
            }

            if (c is not null && (char.IsLetter(c.Value) || c == '_'))
            {
                var start = _at;
                while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
                {
                    _at++;
                }

                var name = text[start.._at];
                if (Peek() != '(')
                {
                    return new Call(new KpiCall(name, [], null));
                }

                _at++;
                var args = new List<string>();
                KpiFormula? inner = null;
                if (name is "previous")
                {
                    inner = Expression();
                    Expect(')');
                    return new Call(new KpiCall(name, [], inner));
                }

                var depth = 0;
                var argStart = _at;
                for (; _at < text.Length; _at++)
                {
                    var ch = text[_at];
                    if (ch == '(')
                    {
                        depth++;
                    }
                    else if (ch == ')' && depth-- == 0)
                    {
                        break;
                    }
                    else if (ch == ',' && depth == 0)
                    {
                        args.Add(text[argStart.._at].Trim());
                        argStart = _at + 1;
                    }
                }

                if (_at >= text.Length)
                {
                    throw Error($"'{name}(' is not closed");
                }

                var last = text[argStart.._at].Trim();
                if (last.Length > 0 || args.Count > 0)
                {
                    args.Add(last);
                }

                _at++;
                return new Call(new KpiCall(name, args, inner));
            }

            throw Error(c is null ? "the formula ends where a value was expected" : $"unexpected '{c}'");
        }

        private char? Peek()
        {
            Skip();
            return _at < text.Length ? text[_at] : null;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw Error($"expected '{c}'");
            }

            _at++;
        }

        private UserInputException Error(string what) =>
            new($"{where}: formula '{text}', at character {_at + 1}: {what}. Formulas use numbers, + - * /, parentheses, KPI names and calls such as cost(tag:model=ranker).");
    }

    private sealed record Number(decimal Value) : KpiFormula
    {
        public override decimal? Evaluate(Func<KpiCall, decimal?> resolve) => Value;
    }

    private sealed record Call(KpiCall What) : KpiFormula
    {
        public override decimal? Evaluate(Func<KpiCall, decimal?> resolve) => resolve(What);
    }

    private sealed record Binary(char Op, KpiFormula Left, KpiFormula Right) : KpiFormula
    {
        public override decimal? Evaluate(Func<KpiCall, decimal?> resolve)
        {
            if (Left.Evaluate(resolve) is not { } a || Right.Evaluate(resolve) is not { } b)
            {
                return null;
            }

            return Op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => b == 0 ? null : a / b,
            };
        }
    }
}

/// <summary>A call in a formula: its name, its raw arguments, and for <c>previous(...)</c> the formula inside.</summary>
public sealed record KpiCall(string Name, IReadOnlyList<string> Arguments, KpiFormula? Inner);

/// <summary>Whether a KPI's value meets its target.</summary>
public static class KpiStatus
{
    public const string OnTarget = "on_target";
    public const string OffTarget = "off_target";
    public const string NoData = "no_data";
    public const string NoTarget = "no_target";

    /// <summary><paramref name="direction"/> <c>below</c>: at most the target; <c>above</c>: at least.</summary>
    public static string Of(decimal? value, decimal? target, string direction) =>
        value is not { } v ? NoData
        : target is not { } t ? NoTarget
        : (direction == "above" ? v >= t : v <= t) ? OnTarget : OffTarget;

    /// <summary>A goal without a formula: off target when any KPI under it is, on target when all with data are.</summary>
    public static string OfGoal(IEnumerable<string> children)
    {
        var list = children.ToList();
        return list.Contains(OffTarget) ? OffTarget : list.Contains(OnTarget) ? OnTarget : NoData;
    }
}
