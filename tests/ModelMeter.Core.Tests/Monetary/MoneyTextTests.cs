using ModelMeter.Core.Monetary;
using ModelMeter.Core.Text;

namespace ModelMeter.Core.Tests.Monetary;

public sealed class MoneyTextTests
{
    [Theory]
    [InlineData("1234.565", "USD", "1,234.57")]
    [InlineData("-1234.565", "USD", "-1,234.57")]
    [InlineData("1234.5", "JPY", "1,235")]
    [InlineData("0.0049", "EUR", "0.00")]
    [InlineData("12.3456", "KWD", "12.346")]
    public void Amount_IsRoundedToTheCurrencysMinorUnit_WithSeparators(string amount, string currency, string shown)
    {
        MoneyText.Amount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency).ShouldBe(shown);
    }

    [Fact]
    public void WithCurrency_NamesTheCurrencyAfterTheAmount()
    {
        MoneyText.WithCurrency(new Money(50000m, "JPY")).ShouldBe("50,000 JPY");
    }

    [Fact]
    public void MarkdownCell_EscapesPipes_AndFoldsLineBreaks()
    {
        MarkdownText.Cell("a|b\r\nc").ShouldBe("a\\|b c");
    }
}
