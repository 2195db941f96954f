using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Tests.Focus;

public class ValueParsersTests
{
    [Theory]
    [InlineData("12.34", "12.34")]
    [InlineData("-0.50", "-0.50")]
    [InlineData("+7", "7")]
    [InlineData(" 3.5 ", "3.5")]
    [InlineData("1e3", "1000")]
    [InlineData("1.5E-3", "0.0015")]
    [InlineData("0.000000000000000001", "0.000000000000000001")]
    [InlineData("123456789.123456789", "123456789.123456789")]
    public void TryParseDecimal_AcceptsExactDecimals(string text, string expected)
    {
        ValueParsers.TryParseDecimal(text, out var value).ShouldBeNull();

        value.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TryParseDecimal_KeepsEveryDigit()
    {
        ValueParsers.TryParseDecimal("0.1234567890123456", out var value).ShouldBeNull();

        value.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("0.1234567890123456");
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("1,234.50")]
    public void TryParseDecimal_RefusesCommaSeparators_SayingUseADot(string text) =>
        ValueParsers.TryParseDecimal(text, out _).ShouldNotBeNull().ShouldContain("dot");

    [Theory]
    [InlineData("abc")]
    [InlineData("$12")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("0x1F")]
    [InlineData("1.2.3")]
    public void TryParseDecimal_RefusesWhatIsNotANumber(string text) =>
        ValueParsers.TryParseDecimal(text, out _).ShouldNotBeNull().ShouldContain("not a number");

    [Theory]
    [InlineData("0.0000000000000000001")]
    [InlineData("1.5e-20")]
    [InlineData("1e-30")]
    [InlineData("0.0000000000000000000000000000001")]
    [InlineData("0.00000000000000000010")]
    public void TryParseDecimal_RefusesMorePlacesThanTheStoreKeeps(string text) =>
        ValueParsers.TryParseDecimal(text, out _).ShouldNotBeNull();

    [Fact]
    public void TryParseDecimal_TrailingZerosBeyondTheStoresPlaces_AreKept_AsTheyLoseNothing()
    {
        ValueParsers.TryParseDecimal("1.50000000000000000000", out var value).ShouldBeNull();

        value.ShouldBe(1.5m);
        ((int)value.Scale).ShouldBeLessThanOrEqualTo(ValueParsers.MaxScale);
        ValueParsers.TryParseDecimal("-100.0000000000000000000", out var whole).ShouldBeNull();
        whole.ShouldBe(-100m);
    }

    [Theory]
    [InlineData("12345678901234567890.123456789")]
    [InlineData("1e25")]
    [InlineData("123456789012345678901")]
    public void TryParseDecimal_RefusesValuesTheStoreCannotHoldExactly(string text) =>
        ValueParsers.TryParseDecimal(text, out _).ShouldNotBeNull();

    [Theory]
    [InlineData("99999999999999999999.12345678")]
    [InlineData("-99999999999999999999")]
    public void TryParseDecimal_AcceptsTheLargestValuesTheStoreHolds(string text) =>
        ValueParsers.TryParseDecimal(text, out _).ShouldBeNull();

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("NULL")]
    public void IsNull_EmptyAndNullMeanNoValue(string text) => ValueParsers.IsNull(text).ShouldBeTrue();

    [Fact]
    public void IsNull_AnyOtherTextIsAValue() => ValueParsers.IsNull("0").ShouldBeFalse();

    [Theory]
    [InlineData("2026-10-01T00:00:00Z", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T00:00:00z", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T12:30:00", "2026-10-01T12:30:00")]
    [InlineData("2026-10-01 12:30:00", "2026-10-01T12:30:00")]
    [InlineData("2026-10-01 12:30:00 UTC", "2026-10-01T12:30:00")]
    [InlineData("2026-10-01T12:30Z", "2026-10-01T12:30:00")]
    [InlineData("2026-10-01", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T02:00:00+02:00", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T02:00:00+0200", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T02:00:00+02", "2026-10-01T00:00:00")]
    [InlineData("2026-09-30T19:00:00-05:00", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T00:00:00.000Z", "2026-10-01T00:00:00")]
    [InlineData("2026-10-01T00:00:00.5Z", "2026-10-01T00:00:00.5")]
    [InlineData("2026-10-01T00:00:00.123456Z", "2026-10-01T00:00:00.123456")]
    [InlineData("2026-10-01T00:00:00.123456000Z", "2026-10-01T00:00:00.123456")]
    [InlineData("2028-02-29T00:00:00Z", "2028-02-29T00:00:00")]
    public void TryParseTimestamp_ReadsIso8601_AsAUtcInstant(string text, string expectedUtc)
    {
        ValueParsers.TryParseTimestamp(text, out var utc).ShouldBeNull();

        utc.Kind.ShouldBe(DateTimeKind.Utc);
        utc.ShouldBe(DateTime.SpecifyKind(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("5/1/25")]
    [InlineData("10/01/2026")]
    [InlineData("01.10.2026")]
    [InlineData("2026/10/01")]
    [InlineData("Oct 1, 2026")]
    [InlineData("2026-10-01T00")]
    [InlineData("2026-10-01T00:00:00Q")]
    [InlineData("2026-10-01T00:00:00+25:00")]
    [InlineData("2026-10-01T00:00:00.Z")]
    [InlineData("20261001")]
    [InlineData("")]
    public void TryParseTimestamp_RefusesWhatIsNotIso8601(string text) =>
        ValueParsers.TryParseTimestamp(text, out _).ShouldNotBeNull().ShouldContain("ISO 8601");

    [Theory]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2027-02-29")]
    [InlineData("2026-10-01T24:00:00Z")]
    [InlineData("2026-10-01T23:60:00Z")]
    public void TryParseTimestamp_RefusesImpossibleDatesAndTimes(string text) =>
        ValueParsers.TryParseTimestamp(text, out _).ShouldNotBeNull().ShouldContain("not a valid date or time");
}
