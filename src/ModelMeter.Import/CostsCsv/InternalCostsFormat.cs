using ModelMeter.Import.Focus;
using ModelMeter.Import.Native;

namespace ModelMeter.Import.CostsCsv;

/// <summary>
/// A CSV of costs outside the cloud bill (<c>modelmeter import costs</c>): one line per cost, with its day
/// (<c>date</c>), month (<c>period</c>) or days (<c>start</c>, <c>end</c>, both inclusive), <c>amount</c>,
/// <c>currency</c>, <c>category</c>, optional <c>description</c> and <c>charge_category</c> (Usage or Purchase), and
/// every other column a dimension (a tag such as <c>team</c> or <c>product</c>). It is read through the same mapping
/// flow as a provider's export, so it is validated, fingerprinted, all-or-nothing and replaces its billing periods.
/// With <see cref="Amortised"/>, a cost over several days becomes one line item per day, the amount split exactly.
/// </summary>
public sealed class InternalCostsFormat : ExportFormat
{
    public static readonly InternalCostsFormat AsWritten = new(false);

    public static readonly InternalCostsFormat AmortisedDaily = new(true);

    private InternalCostsFormat(bool amortised) => Amortised = amortised;

    public bool Amortised { get; }

    public override string Name => "costs CSV";

    public override string Mapping => Amortised ? "costs/1 (amortised daily)" : "costs/1";

    public override string ProviderRule => "the sum of the amount column";

    public override IReadOnlyList<string> Extensions { get; } = [".csv", ".csv.gz"];

    internal override IFocusRecordSource Open(string file)
    {
        var csv = new CsvRecordSource(file, "a costs CSV");
        return new CostLineSource(csv, Amortised);
    }

    internal override ExportMapper CreateMapper(string file, IFocusRecordSource source) => new InternalCostsMapper(file, source.Header, source.LineWord);
}
