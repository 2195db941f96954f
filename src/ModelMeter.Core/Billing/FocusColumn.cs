using System.Collections.Frozen;

namespace ModelMeter.Core.Billing;

/// <summary>How a FOCUS column's text is parsed and stored.</summary>
public enum FocusColumnKind
{
    /// <summary>Free text, stored as VARCHAR.</summary>
    Text,

    /// <summary>An exact decimal (costs, prices, quantities), stored as DECIMAL(38,18). Negative allowed.</summary>
    Number,

    /// <summary>An ISO 8601 date-time, stored as a UTC instant (TIMESTAMP holding UTC).</summary>
    Timestamp,

    /// <summary>An ISO 4217 code.</summary>
    Currency,

    /// <summary>Text restricted to the values FOCUS lists (normalised to their canonical spelling).</summary>
    Enumeration,

    /// <summary>A JSON object of scalar values, stored as parallel key and value lists.</summary>
    KeyValue,

    /// <summary>Any JSON document, validated and stored as text.</summary>
    Json,
}

/// <summary>One column of the FOCUS specification as ModelMeter reads and stores it.</summary>
/// <param name="Name">The FOCUS column id, which is also the store's column name.</param>
/// <param name="Kind">How values are parsed.</param>
/// <param name="Mandatory">True when every FOCUS version that has the column makes it mandatory.</param>
/// <param name="AllowedValues">For enumerations: the canonical values; aliases map onto them.</param>
public sealed record FocusColumn(
    string Name,
    FocusColumnKind Kind,
    bool Mandatory = false,
    FrozenDictionary<string, string>? AllowedValues = null)
{
    /// <summary>Position of this column among the columns of its kind, assigned by <see cref="FocusSchema"/>.</summary>
    public int Slot { get; internal set; }

    /// <summary>
    /// True for what differs from row to row of one resource: the hour (ChargePeriodStart, ChargePeriodEnd) and what it
    /// cost (every number). Every other column, with the custom <c>x_</c> columns, is the row's description, which a
    /// month of hourly billing repeats on every hour of a resource: the store keeps it once per distinct combination,
    /// and a reader that knows rows share it says so with <see cref="LineItemRow.DescriptionKey"/>.
    /// </summary>
    public bool VariesPerRow => Kind == FocusColumnKind.Number || Name is "ChargePeriodStart" or "ChargePeriodEnd";
}
