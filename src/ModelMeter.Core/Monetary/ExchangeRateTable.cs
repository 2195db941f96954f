using System.Globalization;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;

namespace ModelMeter.Core.Monetary;

/// <summary>One dated rate: 1 <see cref="From"/> = <see cref="Rate"/> <see cref="To"/>.</summary>
public sealed record ExchangeRate(DateOnly Date, string From, string To, decimal Rate);

/// <summary>An amount converted, with the rate used and the day that rate is from (which may be earlier than the charge's).</summary>
public sealed record ConvertedAmount(decimal Amount, string Currency, decimal Rate, DateOnly RateDate, bool Inverted);

/// <summary>No rate on or before the day asked for.</summary>
internal sealed class MissingExchangeRateException : UserInputException
{
    public MissingExchangeRateException()
    {
    }

    public MissingExchangeRateException(string message)
        : base(message)
    {
    }

    public MissingExchangeRateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A dated exchange-rate table (CSV <c>date,from,to,rate</c>, e.g. <c>2026-10-01,EUR,USD,1.0712</c>).
/// <para>
/// An amount of day D is converted at the rate of D, or, when D has none (weekends, holidays), at the latest
/// earlier date's; <see cref="ConvertedAmount.RateDate"/> says which. A pair given only the other way round is
/// inverted (1 / rate). Rates are never chained through a third currency, and no rate is invented: a day before
/// the first rate of a pair is an error that names the pair, the day and the first date available.
/// Converted amounts keep full precision; rounding is for display.
/// </para>
/// </summary>
public sealed class ExchangeRateTable
{
    private readonly Dictionary<(string From, string To), List<ExchangeRate>> _rates;

    public ExchangeRateTable(IEnumerable<ExchangeRate> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        _rates = [];
        foreach (var rate in rates)
        {
            if (rate.Rate <= 0m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Rate {rate.From}->{rate.To} on {rate.Date:yyyy-MM-dd} is {rate.Rate}; rates must be positive."), nameof(rates));
            }

            if (!_rates.TryGetValue((rate.From, rate.To), out var list))
            {
                list = [];
                _rates[(rate.From, rate.To)] = list;
            }

            list.Add(rate);
        }

        foreach (var list in _rates.Values)
        {
            list.Sort((a, b) => a.Date.CompareTo(b.Date));
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].Date == list[i - 1].Date && list[i].Rate != list[i - 1].Rate)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Two different {list[i].From}->{list[i].To} rates on {list[i].Date:yyyy-MM-dd}: {list[i - 1].Rate} and {list[i].Rate}."), nameof(rates));
                }
            }
        }
    }

    public static ExchangeRateTable Empty { get; } = new([]);

    /// <summary>The first rate too large to accept: 10^9 (1 BTC is about 1.6e9 IDR; fiat pairs stay below 10^6).</summary>
    public static readonly decimal MaxRate = 1_000_000_000m;

    public int Count => _rates.Values.Sum(l => l.Count);

    /// <summary>Every rate, by pair then date (for storing an imported table).</summary>
    public IReadOnlyList<ExchangeRate> Rates =>
        _rates.OrderBy(p => p.Key.From, StringComparer.Ordinal).ThenBy(p => p.Key.To, StringComparer.Ordinal).SelectMany(p => p.Value).ToList();

    /// <exception cref="UserInputException">A malformed line; the message names the line and column.</exception>
    public static ExchangeRateTable Parse(string csvText, string sourceName)
    {
        var records = CsvText.Parse(csvText, sourceName);
        if (records.Count == 0)
        {
            return Empty;
        }

        var columns = CsvText.Header(records[0], sourceName);
        string[] required = ["date", "from", "to", "rate"];
        var missing = required.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new UserInputException($"{sourceName}: line {records[0].Line}: missing column(s) {string.Join(", ", missing)}; the header must be date,from,to,rate.");
        }

        var rates = new List<ExchangeRate>();
        var seen = new Dictionary<(DateOnly, string, string), (decimal Rate, int Line)>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != records[0].Fields.Count)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}: {record.Fields.Count} fields, the header has {records[0].Fields.Count}.");
            }

            string Field(string name, out int column)
            {
                column = columns[name] + 1;
                return record.Fields[columns[name]].Trim();
            }

            var dateText = Field("date", out var dateColumn);
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new UserInputException($"{sourceName}: line {record.Line}, column {dateColumn}: date '{dateText}' is not YYYY-MM-DD.");
            }

            if (!Time.SupportedRange.Contains(date))
            {
                throw new UserInputException($"{sourceName}: line {record.Line}, column {dateColumn}: date '{dateText}' is outside the dates ModelMeter stores ({Time.SupportedRange.Text}).");
            }

            var from = Field("from", out var fromColumn);
            var to = Field("to", out var toColumn);
            foreach (var (code, column) in new[] { (from, fromColumn), (to, toColumn) })
            {
                if (!Currency.IsKnown(code))
                {
                    throw new UserInputException($"{sourceName}: line {record.Line}, column {column}: '{code}' is not {Currency.Expected}.");
                }
            }

            if (from == to)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}: a rate from {from} to itself.");
            }

            var rateText = Field("rate", out var rateColumn);
            // A rate is stored as DECIMAL(38,18) like an amount: one that does not fit exactly (1e-22, 19 decimals) is refused,
            // never rounded (1e-22 would be stored as 0, after which every conversion fails).
            if (ExactDecimal.TryParse(rateText, out var rate) is { } rateError)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}, column {rateColumn}: rate '{rateText}' {rateError} (use a dot for decimals; up to {ExactDecimal.MaxScale} decimal places).");
            }

            if (rate <= 0m)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}, column {rateColumn}: rate '{rateText}' is not a positive number.");
            }

            if (rate >= MaxRate)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{sourceName}: line {record.Line}, column {rateColumn}: rate '{rateText}' is too large; rates up to {MaxRate:0.#} are accepted, so that converted amounts stay exact."));
            }

            if (seen.TryGetValue((date, from, to), out var earlier) && earlier.Rate != rate)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{sourceName}: line {record.Line}: {from}->{to} on {date:yyyy-MM-dd} is {rate} here but {earlier.Rate} on line {earlier.Line}."));
            }

            seen[(date, from, to)] = (rate, record.Line);
            rates.Add(new ExchangeRate(date, from, to, rate));
        }

        return new ExchangeRateTable(rates);
    }

    /// <summary>Converts an amount of day <paramref name="on"/>; the same currency converts at 1.</summary>
    /// <exception cref="MissingExchangeRateException">No rate for the pair (either way round) on or before the day.</exception>
    public ConvertedAmount Convert(decimal amount, string from, string to, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            return new ConvertedAmount(amount, to, 1m, on, Inverted: false);
        }

        var direct = Latest(from, to, on);
        var inverse = Latest(to, from, on);
        if (direct is not null && (inverse is null || direct.Date >= inverse.Date))
        {
            return new ConvertedAmount(Multiply(amount, direct.Rate, from, to, on), to, direct.Rate, direct.Date, Inverted: false);
        }

        if (inverse is not null)
        {
            var rate = 1m / inverse.Rate;
            return new ConvertedAmount(Multiply(amount, rate, from, to, on), to, rate, inverse.Date, Inverted: true);
        }

        var first = new[] { First(from, to), First(to, from) }.Where(r => r is not null).Select(r => r!.Date).Order().FirstOrDefault();
        var hint = first == default
            ? $"the table has no {from}/{to} rate at all"
            : string.Create(CultureInfo.InvariantCulture, $"the first {from}/{to} rate is on {first:yyyy-MM-dd}");
        throw new MissingExchangeRateException(string.Create(CultureInfo.InvariantCulture,
            $"No exchange rate from {from} to {to} on or before {on:yyyy-MM-dd}: {hint}. Add a line 'date,from,to,rate' to the rate table."));
    }

    /// <summary>amount × rate; a product beyond .NET's decimal (7.9e28) is an error naming the conversion, not a crash.</summary>
    private static decimal Multiply(decimal amount, decimal rate, string from, string to, DateOnly on)
    {
        try
        {
            return amount * rate;
        }
        catch (OverflowException e)
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"Converting {amount} {from} to {to} at {rate} on {on:yyyy-MM-dd} gives more than ModelMeter can hold exactly; check the rate."), e);
        }
    }

    private ExchangeRate? Latest(string from, string to, DateOnly on)
    {
        if (!_rates.TryGetValue((from, to), out var list))
        {
            return null;
        }

        // Lists are short (a rate a day for a few years): a reverse scan is plenty.
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Date <= on)
            {
                return list[i];
            }
        }

        return null;
    }

    private ExchangeRate? First(string from, string to) =>
        _rates.TryGetValue((from, to), out var list) ? list[0] : null;
}
