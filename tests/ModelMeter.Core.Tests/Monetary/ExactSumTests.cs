using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Tests.Monetary;

public sealed class ExactSumTests
{
    [Fact]
    public void ASubtotalSummedElsewhere_AddsUpToWhatItsValuesAddUpTo_OneByOne()
    {
        // Given values added one by one, and the same values as two subtotals in DuckDB's DECIMAL(38,18) text
        var byValue = new ExactSum();
        foreach (var value in new[] { 1.5m, -0.25m, 0.000000000000000001m, 12345678901234567890.5m, -12345678901234567890m })
        {
            byValue.Add(value);
        }

        var bySubtotal = new ExactSum();
        bySubtotal.TryAddSubtotal("1.250000000000000001", "1.750000000000000001").ShouldBeTrue();
        bySubtotal.TryAddSubtotal("0.5", "24691357802469135780.5").ShouldBeTrue();

        // Then both say the same total, and that every partial sum fits
        bySubtotal.ToString().ShouldBe(byValue.ToString());
        bySubtotal.ToString().ShouldBe("1.750000000000000001");
        bySubtotal.Fits.ShouldBeTrue();
    }

    [Fact]
    public void Subtotals_WhoseAbsoluteValuesReach10To20_NoLongerFit()
    {
        var sum = new ExactSum();
        sum.TryAddSubtotal("60000000000000000000", "60000000000000000000").ShouldBeTrue();
        sum.Fits.ShouldBeTrue();
        sum.TryAddSubtotal("-50000000000000000000", "50000000000000000000").ShouldBeTrue();
        sum.Fits.ShouldBeFalse();
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0.000000000", "0")]
    [InlineData("9999999999999999999.999999999999999999", "9999999999999999999.999999999999999999")]
    [InlineData("-12345678901234567890.123456789012345678", "-12345678901234567890.123456789012345678")]
    [InlineData("10000000000000000000", "10000000000000000000")]
    [InlineData("42.100000000", "42.1")]
    public void ASubtotal_IsTakenDigitForDigit_AtEveryLengthOfItsWholeAndFraction(string text, string total)
    {
        var sum = new ExactSum();
        sum.TryAddSubtotal(text, text.TrimStart('-')).ShouldBeTrue();
        sum.ToString().ShouldBe(total);
    }

    [Theory]
    [InlineData("1.5e3")]
    [InlineData("1.0000000000000000001")]
    [InlineData("")]
    [InlineData("12,5")]
    [InlineData("123456789012345678901")]
    public void ASubtotalThatIsNotExactDecimalText_IsRefused_AndAddsNothing(string text)
    {
        var sum = new ExactSum();
        sum.TryAddSubtotal(text, "1").ShouldBeFalse();
        sum.IsEmpty.ShouldBeTrue();
    }
}
