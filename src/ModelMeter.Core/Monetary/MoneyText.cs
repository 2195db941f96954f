using System.Globalization;

namespace ModelMeter.Core.Monetary;

/// <summary>
/// How an amount is shown to people (tables, Markdown, messages): rounded to the currency's minor unit (two places for
/// USD, none for JPY), with thousands separators, culture-free. Machine formats (JSON, CSV) keep full precision instead.
/// The one money formatter: every host and every message uses it.
/// </summary>
public static class MoneyText
{
    /// <summary><c>1,234.57</c> for 1234.5678 USD, <c>1,235</c> for JPY.</summary>
    public static string Amount(decimal amount, string currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var places = Currency.MinorUnits(currency);
        return Math.Round(amount, places, MidpointRounding.AwayFromZero).ToString("N" + places.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary><c>1,234.57 USD</c>.</summary>
    public static string WithCurrency(Money money) => Amount(money.Amount, money.Currency) + " " + money.Currency;
}
