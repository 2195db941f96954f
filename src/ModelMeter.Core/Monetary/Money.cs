using System.Globalization;

namespace ModelMeter.Core.Monetary;

/// <summary>An exact amount in one currency. Arithmetic across currencies is an error, never a silent sum.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public static Money Zero(string currency) => new(0m, currency);

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, SameCurrency(left, right));

    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, SameCurrency(left, right));

    public static Money operator *(Money left, decimal factor) => new(left.Amount * factor, left.Currency);

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public Money Multiply(decimal factor) => this * factor;

    /// <summary>Rounds half away from zero to the currency's minor unit (cents for USD).</summary>
    public Money RoundToMinorUnit() =>
        new(Math.Round(Amount, Monetary.Currency.MinorUnits(Currency), MidpointRounding.AwayFromZero), Currency);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount} {Currency}");

    private static string SameCurrency(Money left, Money right) =>
        string.Equals(left.Currency, right.Currency, StringComparison.Ordinal)
            ? left.Currency
            : throw new CurrencyMismatchException(left.Currency, right.Currency);
}

/// <summary>Thrown when two amounts in different currencies would be combined without a rate.</summary>
internal sealed class CurrencyMismatchException(string left, string right)
    : InvalidOperationException($"Cannot combine {left} and {right} amounts without an exchange rate.")
{
    public string Left { get; } = left;

    public string Right { get; } = right;
}
