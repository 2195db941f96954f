using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Tests.Monetary;

public class ExchangeRateTableTests
{
    private const string Csv = """
        date,from,to,rate
        2026-10-01,EUR,USD,1.10
        2026-10-02,EUR,USD,1.20
        2026-10-05,EUR,USD,1.25
        2026-10-01,USD,JPY,150
        """;

    private static readonly ExchangeRateTable Table = ExchangeRateTable.Parse(Csv, "rates.csv");

    [Fact]
    public void Convert_UsesTheRateOfTheChargeDay()
    {
        var converted = Table.Convert(100m, "EUR", "USD", new DateOnly(2026, 10, 2));

        converted.ShouldBe(new ConvertedAmount(120.00m, "USD", 1.20m, new DateOnly(2026, 10, 2), Inverted: false));
    }

    [Fact]
    public void Convert_OnADayWithoutRate_UsesTheLatestEarlierDate_AndSaysWhich()
    {
        var converted = Table.Convert(100m, "EUR", "USD", new DateOnly(2026, 10, 4));

        converted.Amount.ShouldBe(120.00m);
        converted.RateDate.ShouldBe(new DateOnly(2026, 10, 2));
    }

    [Fact]
    public void Convert_ThePairTheOtherWayRound_InvertsTheRate()
    {
        var converted = Table.Convert(15000m, "JPY", "USD", new DateOnly(2026, 10, 3));

        converted.Inverted.ShouldBeTrue();
        Math.Round(converted.Amount, 10).ShouldBe(100m);
    }

    [Fact]
    public void Convert_BeforeTheFirstRate_FailsClearly()
    {
        var ex = Should.Throw<MissingExchangeRateException>(() => Table.Convert(1m, "EUR", "USD", new DateOnly(2026, 9, 30)));

        ex.Message.ShouldBe("No exchange rate from EUR to USD on or before 2026-09-30: the first EUR/USD rate is on 2026-10-01. Add a line 'date,from,to,rate' to the rate table.");
        ex.ShouldBeAssignableTo<UserInputException>();
    }

    [Fact]
    public void Convert_AnUnknownPair_IsNeverChainedThroughAThirdCurrency()
    {
        var ex = Should.Throw<MissingExchangeRateException>(() => Table.Convert(1m, "EUR", "JPY", new DateOnly(2026, 10, 3)));

        ex.Message.ShouldContain("the table has no EUR/JPY rate at all");
    }

    [Fact]
    public void Convert_SameCurrency_IsTheAmountItself() =>
        Table.Convert(12.34m, "USD", "USD", new DateOnly(2020, 1, 1)).Amount.ShouldBe(12.34m);

    [Fact]
    public void CostPoolRows_ConvertEachAtItsOwnDay_IntoOneReportingCurrency()
    {
        var rows = new[]
        {
            new CostPoolRow(new DateOnly(2026, 10, 1), "EUR", 10m, null, null, null, null, new Dictionary<string, string?>()),
            new CostPoolRow(new DateOnly(2026, 10, 5), "EUR", 10m, null, null, null, null, new Dictionary<string, string?>()),
            new CostPoolRow(new DateOnly(2026, 10, 5), "USD", 1m, null, null, null, null, new Dictionary<string, string?>()),
        };

        var converted = rows.ConvertTo("USD", Table);

        converted.Select(r => (r.Currency, r.Amount)).ShouldBe([("USD", 11.00m), ("USD", 12.50m), ("USD", 1m)]);
    }

    [Theory]
    [InlineData("date,from,to\n", "line 1: missing column(s) rate")]
    [InlineData("date,from,to,rate\n2026/10/01,EUR,USD,1.1\n", "line 2, column 1: date '2026/10/01' is not YYYY-MM-DD.")]
    [InlineData("date,from,to,rate\n2026-10-01,eur,USD,1.1\n", "line 2, column 2: 'eur' is not an ISO 4217 currency code")]
    [InlineData("date,from,to,rate\n2026-10-01,EUR,USD,1,1\n", "line 2: 5 fields, the header has 4.")]
    [InlineData("date,from,to,rate\n2026-10-01,EUR,USD,-1\n", "line 2, column 4: rate '-1' is not a positive number")]
    [InlineData("date,from,to,rate\n2026-10-01,EUR,EUR,1\n", "line 2: a rate from EUR to itself.")]
    [InlineData("date,from,to,rate\n2026-10-01,EUR,USD,1.1\n2026-10-01,EUR,USD,1.2\n", "line 3: EUR->USD on 2026-10-01 is 1.2 here but 1.1 on line 2.")]
    public void Parse_RefusesMalformedLines_SayingWhere(string text, string expected)
    {
        var ex = Should.Throw<UserInputException>(() => ExchangeRateTable.Parse(text, "rates.csv"));

        ex.Message.ShouldStartWith("rates.csv: ");
        ex.Message.ShouldContain(expected);
    }
}
