using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Monetary;

/// <summary>Values are read exactly or refused: no trailing NULs, no rounding to 0, no overflow, no silent currency.</summary>
public sealed class ExactValuesTests
{
    [Theory]
    [InlineData("0.7364\0\0\0")]
    [InlineData("0.7364\0")]
    [InlineData("1e-25")]
    [InlineData("1e-30")]
    [InlineData("0.0000000000000000001")]
    [InlineData("1e25")]
    [InlineData("1e400")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("$1.00")]
    [InlineData("1,000")]
    [InlineData("(1.00)")]
    [InlineData("")]
    public void ExactDecimal_RefusesWhatItCannotKeepExactly(string text)
    {
        ExactDecimal.TryParse(text, out _).ShouldNotBeNull(text.Replace("\0", "\\0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.7364", "0.7364")]
    [InlineData("-0", "0")]
    [InlineData("1.50000000000000000000000", "1.5")]
    [InlineData("1e-18", "0.000000000000000001")]
    [InlineData("99999999999999999999", "99999999999999999999")]
    [InlineData(" 12.5 ", "12.5")]
    public void ExactDecimal_ReadsEveryValueItKeeps(string text, string expected)
    {
        ExactDecimal.TryParse(text, out var value).ShouldBeNull();
        value.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ExactSum_KeepsEighteenPlacesBeyondWhatDecimalAdditionRounds()
    {
        // decimal addition rounds 12345678901.5 + 0.123456789012345678 + 0.000000000000000001 in its 29th digit.
        var sum = default(ExactSum);
        sum.Add(12345678901.5m);
        sum.Add(0.123456789012345678m);
        sum.Add(0.000000000000000001m);
        sum.ToString().ShouldBe("12345678901.623456789012345679");
        sum.TryToDecimal(out var exact).ShouldBeTrue();
        exact.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("12345678901.623456789012345679");
        sum.Fits.ShouldBeTrue();
    }

    [Fact]
    public void ExactSum_SaysWhenTotalsWouldNotFitTheStore_CountingCreditsAsPositive()
    {
        var sum = default(ExactSum);
        sum.Add(60_000_000_000_000_000_000m);
        sum.Add(-60_000_000_000_000_000_000m);
        sum.Fits.ShouldBeFalse("the two values total 0, but summing the first with others could overflow DECIMAL(38,18)");
    }

    [Fact]
    public void ExactSum_SaysWhenATotalIsNotADecimalExactly()
    {
        var sum = default(ExactSum);
        sum.Add(1_000_000_000_000m);
        sum.Add(0.000000000000000001m);
        sum.TryToDecimal(out _).ShouldBeFalse();
        sum.ToString().ShouldBe("1000000000000.000000000000000001");
    }

    [Fact]
    public void Currency_IsCheckedAgainstTheShippedIso4217List()
    {
        Currency.IsKnown("USD").ShouldBeTrue();
        Currency.IsKnown("EUR").ShouldBeTrue();
        Currency.IsKnown("ZZZ").ShouldBeFalse();
        Currency.IsKnown("usd").ShouldBeFalse();
        Currency.KnownCount.ShouldBe(179);
        Currency.MinorUnits("JPY").ShouldBe(0);
        Currency.MinorUnits("KWD").ShouldBe(3);
        Currency.MinorUnits("CLF").ShouldBe(4);
        Currency.MinorUnits("XAU").ShouldBe(2);
    }

    [Theory]
    [InlineData("1e-22", "has more than 18 decimal places")]
    [InlineData("1.1234567890123456789", "has more than 18 decimal places")]
    [InlineData("1e25", "digits before the decimal point")]
    [InlineData("2000000000", "too large")]
    [InlineData("0", "not a positive number")]
    public void Rates_ThatDoNotFitExactly_AreRefusedWithTheLine(string rate, string message)
    {
        var error = Should.Throw<UserInputException>(() => ExchangeRateTable.Parse($"date,from,to,rate\n2026-10-01,EUR,USD,1.07\n2026-10-02,EUR,USD,{rate}\n", "rates.csv"));
        error.Message.ShouldStartWith("rates.csv: line 3, column 4:");
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Rates_InUnknownCurrencies_AreRefused()
    {
        Should.Throw<UserInputException>(() => ExchangeRateTable.Parse("date,from,to,rate\n2026-10-01,ZZZ,USD,1.07\n", "rates.csv"))
            .Message.ShouldContain("line 2, column 2: 'ZZZ' is not an ISO 4217 currency code");
    }

    [Fact]
    public void Conversion_ThatOverflows_IsAnErrorNamingIt()
    {
        var table = ExchangeRateTable.Parse("date,from,to,rate\n2026-10-01,EUR,USD,999999999\n", "rates.csv");
        Should.Throw<UserInputException>(() => table.Convert(99_999_999_999_999_999_999m, "EUR", "USD", new DateOnly(2026, 10, 1)))
            .Message.ShouldContain("Converting");
    }

    [Fact]
    public void UsageWindow_OverThreeDays_SumsExactlyToItsValue_AtTheStoresScale()
    {
        var samples = UsageCsv.Parse("start,end,team,metric,value\n2026-10-01,2026-10-03,nlp,gpu_hours,1\n", "usage.csv");

        samples.Count.ShouldBe(3);
        samples.ShouldAllBe(s => s.Value.Scale <= ExactDecimal.MaxScale);
        samples.Sum(s => s.Value).ShouldBe(1m);
        samples[0].Value.ShouldBe(0.333333333333333333m);
    }

    [Theory]
    [InlineData("timestamp,team,metric,value\n2026-10-01,nlp,gpu_hours,1e-25\n", "line 2, column 4: value '1e-25' has more than 18 decimal places")]
    [InlineData("timestamp,team,metric,value\n2026-10-01,nlp,gpu_hours,1e25\n", "line 2, column 4: value '1e25' has more than 20 digits")]
    [InlineData("timestamp,team,metric,value\n2026-10-01,nlp,gpu_hours,1\0\n", "line 2, column 4")]
    [InlineData("start,end,team,metric,value\n2026-10-01,9999-12-31,nlp,gpu_hours,1\n", "line 2, column 2: end '9999-12-31' is outside")]
    [InlineData("start,end,team,metric,value\n1900-01-01,2026-10-01,nlp,gpu_hours,1\n", "line 2, column 2: the window 1900-01-01 to 2026-10-01 is longer than 366 days")]
    [InlineData("timestamp,team,metric,value\n0001-01-01T00:00:00+14:00,nlp,gpu_hours,1\n", "line 2, column 1: timestamp '0001-01-01T00:00:00+14:00'")]
    public void Usage_BeyondTheLimits_IsRefusedWithLineAndColumn(string csv, string message)
    {
        Should.Throw<UserInputException>(() => UsageCsv.Parse(csv, "usage.csv")).Message.ShouldContain(message);
    }

    [Theory]
    [InlineData(null, null, null, "9999-12", "--month '9999-12' is outside")]
    [InlineData(null, null, "99999999d", null, "--last '99999999d' reaches back before 1900-01-01")]
    [InlineData(null, null, "2147483647w", null, "--last '2147483647w' reaches back before 1900-01-01")]
    [InlineData("0001-01-01", null, null, null, "--from '0001-01-01' is outside")]
    public void Periods_BeyondTheDatesStored_AreRefusedNamingTheOption(string? from, string? to, string? last, string? month, string message)
    {
        Should.Throw<UserInputException>(() => ReportArguments.ParsePeriod(from, to, last, month, new DateTime(2026, 11, 15, 0, 0, 0, DateTimeKind.Utc)))
            .Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("tag:team==nlp")]
    [InlineData("ServiceCategory!==Storage")]
    public void Where_WithADoubledOperator_IsAnError(string text)
    {
        Should.Throw<UserInputException>(() => ReportArguments.ParseFilter(text)).Message.ShouldContain("is not an operator");
    }

    [Fact]
    public void Where_WithAQuotedValueStartingWithEquals_StillWorks()
    {
        ReportArguments.ParseFilter("tag:team=\"=nlp\"").Values.ShouldBe(["=nlp"]);
    }

    [Fact]
    public void Cost_Amortized_IsEffectiveCost_AndGrainHourIsAccepted()
    {
        ReportArguments.ParseCost("amortized").ShouldBe(CostMetric.Effective);
        ReportArguments.ParseGrain("hour").ShouldBe(TimeGrain.Hour);
    }

    [Fact]
    public void ExactDecimal_ReadsPlainAmountsWithoutTheGeneralParser_ToTheSameDigitsScaleAndSign()
    {
        // Given plain amounts (-?digits[.digits], up to 18 digits) as bills write them, edge cases and random ones
        var random = new Random(20261203);
        var texts = new List<string>
        {
            "0", "-0", "0.0", "-0.000", "1.50", "007", "-007.10", "123456789012345678", "-0.00000000000000001",
            "999999999999999999", "0.99999999999999999", "1844674407.37095516", "4294967296", "4294967295.5",
        };
        for (var i = 0; i < 20_000; i++)
        {
            var whole = random.Next(0, 10) == 0 ? "0" : random.NextInt64(0, 10_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var places = random.Next(0, 19 - whole.Length);
            var fraction = places == 0 ? "" : "." + string.Concat(Enumerable.Range(0, places).Select(_ => (char)('0' + random.Next(10))));
            texts.Add((random.Next(4) == 0 ? "-" : "") + whole + fraction);
        }

        foreach (var text in texts)
        {
            // When the plain reading takes them
            ExactDecimal.TryParsePlain(text, out var plain).ShouldBeTrue(text);

            // Then each is the decimal the general parser reads, bit for bit (digits, scale, sign)
            decimal.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var general).ShouldBeTrue(text);
            decimal.GetBits(plain).ShouldBe(decimal.GetBits(general), text);
        }

        // And what is not plain is left to the general parser, which says what is wrong or reads it
        foreach (var text in new[] { "", "-", ".5", "5.", "+5", "1e3", "1.2.3", "1234567890123456789", "0.1234567890123456789", "1,5", "1 5", "--1" })
        {
            ExactDecimal.TryParsePlain(text, out _).ShouldBeFalse(text);
        }
    }
}
