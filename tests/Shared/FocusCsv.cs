using System.IO.Compression;
using System.Text;

namespace ModelMeter.Tests.Support;

/// <summary>
/// Builds small FOCUS exports in code: a header of FOCUS columns and rows that start from valid defaults, so a test
/// states only what it is about (<c>.Row(("BilledCost", "abc"))</c>).
/// </summary>
internal sealed class FocusCsv
{
    /// <summary>The columns FOCUS 1.0 makes mandatory (with the pre-1.3 provider names), plus a few common optional ones.</summary>
    public static readonly string[] Focus10Columns =
    [
        "BillingAccountId", "BillingAccountName", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd",
        "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceName", "ServiceCategory", "ChargeCategory", "ChargeClass",
        "ChargeDescription", "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency", "PricingQuantity",
        "PricingUnit", "ResourceId", "RegionId", "Tags",
    ];

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BillingAccountId"] = "acct-1",
        ["BillingAccountName"] = "Acme Payer",
        ["BillingPeriodStart"] = "2026-10-01T00:00:00Z",
        ["BillingPeriodEnd"] = "2026-11-01T00:00:00Z",
        ["ChargePeriodStart"] = "2026-10-01T00:00:00Z",
        ["ChargePeriodEnd"] = "2026-10-01T01:00:00Z",
        ["ProviderName"] = "AWS",
        ["PublisherName"] = "AWS",
        ["ServiceProviderName"] = "AWS",
        ["HostProviderName"] = "AWS",
        ["InvoiceIssuerName"] = "AWS",
        ["ServiceName"] = "Amazon EC2",
        ["ServiceCategory"] = "Compute",
        ["ChargeCategory"] = "Usage",
        ["ChargeClass"] = "",
        ["ChargeDescription"] = "GPU instance hour",
        ["BilledCost"] = "1.00",
        ["EffectiveCost"] = "1.00",
        ["ListCost"] = "1.00",
        ["ContractedCost"] = "1.00",
        ["BillingCurrency"] = "USD",
        ["PricingQuantity"] = "1",
        ["PricingUnit"] = "Hours",
        ["ResourceId"] = "i-001",
        ["RegionId"] = "us-east-1",
        ["Tags"] = "{\"team\":\"nlp\"}",
    };

    private readonly List<string> _columns;
    private readonly List<Dictionary<string, string>> _rows = [];

    public FocusCsv(IEnumerable<string>? columns = null) => _columns = (columns ?? Focus10Columns).ToList();

    public IReadOnlyList<string> Columns => _columns;

    public int RowCount => _rows.Count;

    /// <summary>Adds a row of defaults with some values replaced (a column not in the header is added to it).</summary>
    public FocusCsv Row(params (string Column, string Value)[] values)
    {
        var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, value) in values)
        {
            if (!_columns.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                _columns.Add(column);
            }

            row[column] = value;
        }

        _rows.Add(row);
        return this;
    }

    /// <summary>Adds <paramref name="count"/> rows of defaults.</summary>
    public FocusCsv Rows(int count, params (string Column, string Value)[] values)
    {
        for (var i = 0; i < count; i++)
        {
            Row(values);
        }

        return this;
    }

    public FocusCsv WithColumn(string column)
    {
        _columns.Add(column);
        return this;
    }

    public FocusCsv WithoutColumn(string column)
    {
        _columns.RemoveAll(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <summary>The 1-based position of a column in the header, as error messages name it.</summary>
    public int ColumnNumber(string column) => _columns.FindIndex(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase)) + 1;

    public string ToCsv(string newline = "\n")
    {
        var text = new StringBuilder();
        text.AppendJoin(',', _columns.Select(Quote)).Append(newline);
        foreach (var row in _rows)
        {
            text.AppendJoin(',', _columns.Select(c => Quote(row.TryGetValue(c, out var v) ? v : Defaults.GetValueOrDefault(c, "")))).Append(newline);
        }

        return text.ToString();
    }

    public string WriteTo(string path)
    {
        File.WriteAllText(path, ToCsv(), new UTF8Encoding(false));
        return path;
    }

    public string WriteGzipTo(string path)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        var bytes = Encoding.UTF8.GetBytes(ToCsv());
        gzip.Write(bytes);
        return path;
    }

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>A temporary folder deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modelmeter-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a failing test must not hide the test's own failure.
        }
    }
}
