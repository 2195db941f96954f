using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Tests.Monetary;

public class MoneyTests
{
    [Fact]
    public void Adding_SameCurrency_IsExact()
    {
        var sum = new Money(0.1m, "USD") + new Money(0.2m, "USD");
        sum.ShouldBe(new Money(0.3m, "USD"));
    }

    [Fact]
    public void Adding_DifferentCurrencies_Throws_InsteadOfMixing()
    {
        var ex = Should.Throw<CurrencyMismatchException>(() => new Money(1m, "USD") + new Money(1m, "EUR"));
        ex.Message.ShouldContain("USD");
        ex.Message.ShouldContain("EUR");
    }

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KWD", 3)]
    [InlineData("EUR", 2)]
    public void MinorUnits_FollowIso4217(string code, int expected) => Currency.MinorUnits(code).ShouldBe(expected);

    [Theory]
    [InlineData(1.005, "USD", 1.01)]
    [InlineData(-1.005, "USD", -1.01)]
    [InlineData(1234.5, "JPY", 1235)]
    public void RoundToMinorUnit_RoundsHalfAwayFromZero(double amount, string currency, double expected) =>
        new Money((decimal)amount, currency).RoundToMinorUnit().Amount.ShouldBe((decimal)expected);

    [Theory]
    [InlineData("USD", true)]
    [InlineData("usd", false)]
    [InlineData("US", false)]
    [InlineData("US1", false)]
    public void IsWellFormed_AcceptsOnlyThreeUpperCaseLetters(string code, bool expected) =>
        Currency.IsWellFormed(code).ShouldBe(expected);
}
