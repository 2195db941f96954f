using System.Globalization;
using DuckDB.NET.Data;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Reads a Parquet file column by column, for a sink that loads the per-row values itself (<see cref="IColumnarFactSink"/>):
/// DuckDB validates and converts the amounts and the charge period of every row, and groups the rows by what decides
/// everything else the import says about them: the description (every other column: <see cref="FocusHeader.Describes"/>),
/// which per-row values are null, and whether the charge period ends after it starts. One row of each group, the first,
/// is then read and parsed exactly as the row-by-row path reads every row (<see cref="FocusRowParser"/>), its findings
/// (<see cref="ConformanceTally.FileConformance.Broken"/>) counted once for each row of its group; the totals are DuckDB's
/// exact sums of the converted amounts (in DECIMAL(38,18), or a DOUBLE's short decimals and the others apart:
/// <see cref="Conversion.Split"/>). The store then inserts the rows with one <c>INSERT ... SELECT</c> from the file
/// (<see cref="ColumnarFacts"/>), and checks its sums against those totals on commit.
/// That second reading skips what the first showed it need not do: a nested column (a MAP of tags) when the rest of the
/// description tells the descriptions apart, and a DOUBLE column's checks when every row took the exact short path
/// (<see cref="Conversion.FastValue"/>). The 1M-row DOUBLE/MAP bench file: that query 0.38-0.44 s -> 0.22-0.24 s by hand.
/// <para>
/// Every value is checked as the row path checks it, in SQL, for the types this reader takes: DECIMAL amounts of scale
/// up to 18 (as written, within the digits <see cref="ExactDecimal"/> keeps), integer amounts, DOUBLE amounts (as the
/// shortest text that reads back as the same double, which the row path parses: exact below 10^6 with at most 9
/// places, or below 1 with at most 15, by arithmetic, otherwise through that text), and TIMESTAMP or TIMESTAMP WITH TIME ZONE charge periods within
/// <see cref="Core.Time.SupportedRange"/>. Any other type, an ignored column, a value outside those checks, a description
/// that does not parse, more than <see cref="MaxGroups"/> groups, colliding hashes or a DuckDB error: the file is read
/// row by row instead (<see cref="TryRead"/> returns null, having changed nothing), and that path names what is wrong.
/// </para>
/// </summary>
internal static class ParquetColumns
{
    /// <summary>More groups than this and every group's row costs as much as reading row by row.</summary>
    internal const int MaxGroups = 1 << 16;

    private static readonly string[] CostColumns = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost"];
    private static readonly int CurrencySlot = FocusSchema.Get("BillingCurrency").Slot;
    private static readonly HashSet<string> Integers = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
    };

    /// <summary>
    /// Reads and validates <paramref name="file"/> by columns, through <paramref name="connection"/> (an in-memory DuckDB:
    /// <see cref="ParquetRecordSource.Connect"/>); null when it is to be read row by row (see the class).
    /// </summary>
    public static ColumnarFile? TryRead(
        DuckDBConnection connection,
        string file, FocusHeader header, IReadOnlyList<string> types, ConformanceTally.FileConformance rules, FocusRowParser parser, CancellationToken cancellationToken)
    {
        if (Compose(header, types) is not { } plan || !rules.PerRowReadsOnlyNullsAndOrder)
        {
            return null;
        }

        List<AlikeRows> groups;
        try
        {
            groups = Groups(connection, file, plan, cancellationToken);
        }
        catch (DuckDBException)
        {
            // Ctrl-C interrupts DuckDB mid-query: that is not the file's fault.
            cancellationToken.ThrowIfCancellationRequested();

            // An overflowing sum, a cast DuckDB refuses, a damaged page: the row path says which row.
            return null;
        }

        if (groups.Count is 0 or > MaxGroups || groups.Any(g => !g.Valid))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var firsts = groups.Select(g => g.FirstLines[0] - 1).Distinct().Order().ToList();
        var parsed = new Dictionary<long, (LineItemRow Row, int[] Broken)>();
        using (var source = new ParquetRecordSource(file, rows: firsts, connection: connection))
        {
            if (!source.Header.SequenceEqual(header.Names))
            {
                return null;
            }

            var problems = new List<ImportProblem>();
            while (source.Read())
            {
                var row = new LineItemRow();
                if (!parser.Parse(source, row, problems))
                {
                    return null;
                }

                parsed[source.Line] = (row, rules.Broken(source, row, parser.NullFields));
            }
        }

        if (parsed.Count != firsts.Count)
        {
            return null;
        }

        // The store's load finds each row's description by the key (the description without its nested values) when the
        // key alone tells the file's descriptions apart, as in a bill whose tags follow the resource: the load then does not
        // read the nested column at all (Plan.FactsSelect).
        var byKey = plan.Key is not null && KeyTellsDescriptionsApart(groups);
        var fast = plan.PerRow.Select((p, k) => p.Converted.FastValue is not null && groups.All(g => g.Fast[k])).ToArray();
        var fine = plan.PerRow.Select((p, k) => !fast[k] && p.Converted.FineValue is not null && groups.All(g => g.Fine[k])).ToArray();
        var descriptions = new Dictionary<ulong, LineItemRow>();
        var sums = new Dictionary<string, ExactSum[]>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            (group.Row, group.Broken) = parsed[group.FirstLines[0]];
            descriptions.TryAdd(byKey ? group.Key : group.Hash, group.Row);
            var currency = group.Row.Text[CurrencySlot]!;
            if (!sums.TryGetValue(currency, out var sum))
            {
                sums[currency] = sum = new ExactSum[CostColumns.Length];
            }

            // Totals too large for the store: the row path names the row where they stop fitting.
            if (!group.AddTo(sum) || sum.Any(s => !s.Fits))
            {
                return null;
            }
        }

        var facts = new ColumnarFacts(file, plan.FactsSelect(byKey, fast, fine), descriptions.Select(d => new ColumnarDescription(d.Key, d.Value)).ToList(), groups.Sum(g => g.Rows))
        {
            Columns = plan.FactColumns,
        };
        return new ColumnarFile(groups, facts);
    }

    /// <summary>
    /// Whether every group's rows had one key (no two descriptions of a group differ outside their nested values: the
    /// hashes would have collided) and each key belongs to one description.
    /// </summary>
    private static bool KeyTellsDescriptionsApart(List<AlikeRows> groups)
    {
        var descriptionOf = new Dictionary<ulong, ulong>();
        foreach (var group in groups)
        {
            if (!group.OneKey || (descriptionOf.TryGetValue(group.Key, out var hash) ? hash != group.Hash : !descriptionOf.TryAdd(group.Key, group.Hash)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The SQL to read the file by columns, or null when a column's type or kind is not one this reader takes.</summary>
    private static Plan? Compose(FocusHeader header, IReadOnlyList<string> types)
    {
        var described = new List<string>();
        var flat = new List<string>();
        var nested = new List<string>();
        var perRow = new List<PerRow>();
        for (var i = 0; i < header.Names.Count; i++)
        {
            if (header.Describes(i))
            {
                // A nested value (a MAP of tags) is hashed once and its hash hashed with the rest: both hashes below read it,
                // and DuckDB computes the inner hash once for both (a MAP's hash is a third of a description's).
                var name = ParquetRecordSource.Quote(header.Names[i]);
                var value = ParquetRecordSource.IsNested(types[i]) ? $"hash({name})" : name;
                described.Add(value);
                (ParquetRecordSource.IsNested(types[i]) ? nested : flat).Add(value);
                continue;
            }

            // An ignored column's values are not read, but a NUL in one refuses the row: the row path checks that.
            var raw = ParquetRecordSource.Quote(header.Names[i]);
            if (header.Columns[i] is not { } column || Convert(column, raw, types[i]) is not { } converted)
            {
                return null;
            }

            perRow.Add(new PerRow(column, raw, converted));
        }

        if (described.Count == 0 || perRow.Count == 0 || perRow.Count > 60)
        {
            return null;
        }

        // With nested values, the description's hash is that of its key (the rest) and the nested values' hashes.
        var key = nested.Count > 0 && flat.Count > 0 ? Hash(flat) : null;
        var hash = key is null ? Hash(described) : Hash([key, .. nested]);
        return new Plan(hash, key, nested, described, perRow, perRow.Select(p => p.Column.Name).ToList());
    }

    /// <summary>
    /// The file's rows, with the inputs the conversions share (<see cref="Conversion.Input"/>, and any further
    /// <paramref name="extra"/>) computed once, and a projection above them their flags (<see cref="Conversion.Flag"/>).
    /// </summary>
    private static string Source(IEnumerable<PerRow> perRow, bool numbered, params (string Name, string Expression)[] extra)
    {
        var file = numbered ? "read_parquet($path, file_row_number = true)" : "read_parquet($path)";
        var conversions = perRow.Select(p => p.Converted).ToList();
        var inputs = conversions.Where(c => c.Input is not null).Select(c => c.Input!.Value).Concat(extra).Select(i => $"{i.Expression} AS {i.Name}").ToList();
        var flags = conversions.Where(c => c.Flag is not null).Select(c => $"{c.Flag!.Value.Expression} AS {c.Flag!.Value.Name}").ToList();
        var source = inputs.Count == 0 ? file : $"(SELECT *, {string.Join(", ", inputs)} FROM {file})";
        return flags.Count == 0 ? source : $"(SELECT *, {string.Join(", ", flags)} FROM {source})";
    }

    /// <summary>
    /// A per-row value as the store keeps it, and the condition under which the row path reads the same value from the
    /// text DuckDB renders (<see cref="ParquetRecordSource"/>) and accepts it; null for a type this reader does not take.
    /// </summary>
    internal static Conversion? Convert(FocusColumn column, string raw, string type)
    {
        const string Money = "DECIMAL(38,18)";
        if (column.Kind == FocusColumnKind.Timestamp)
        {
            var value = type switch
            {
                "TIMESTAMP" => raw,
                "TIMESTAMP WITH TIME ZONE" => $"timezone('UTC', {raw})",
                _ => null,
            };
            return value is null ? null : new Conversion(value, (v, _) => $"{v} BETWEEN {Literal(Core.Time.SupportedRange.First)} AND {Literal(Core.Time.SupportedRange.Last)}");
        }

        if (column.Kind != FocusColumnKind.Number)
        {
            return null;
        }

        if (Integers.Contains(type))
        {
            // At most 20 digits, below 10^20: always kept exactly.
            return new Conversion($"CAST({raw} AS {Money})", (_, _) => "true");
        }

        if (type == "DOUBLE")
        {
            // The row path reads the shortest text that is this double (DuckDB's VARCHAR). Below 10^6, a DECIMAL(18,9) that
            // reads back as the double is that text's value: it has at most 15 significant digits, and no two numbers of so
            // few digits read back as one double (they lie further apart than a double's rounding). Reading back is exact
            // here: 15 digits are an exact double, 10^9 too, and one IEEE division rounds correctly. (A DECIMAL(38,18) does
            // not read back exactly: DuckDB converts its 128 bits to a double first.) Otherwise the value is that text's,
            // when it has no exponent and at most 18 places; anything else is null, not valid (NaN, infinity, 10^20 or
            // more, finer than 10^-18), and the row path says why.
            // The short decimal is computed once, a projection below (inside the CASE DuckDB computed it twice: 0.15 s of
            // the 0.45 s eight DOUBLE columns of 1M rows took to convert).
            // Whether the short decimal holds (its flag) is computed once too, for the value and for the grouping, which
            // tells the load which columns held it in every row: those it converts without the checks (FastValue: below
            // 10^6 the short decimal is the plain cast; 1M rows of eight such columns: 0.33 s with the checks, 0.19 s
            // without, by hand).
            var text = $"CAST({raw} AS VARCHAR)";
            var shortDecimal = ParquetRecordSource.Quote($"mm_short_{column.Name}");
            var holds = ParquetRecordSource.Quote($"mm_holds_{column.Name}");
            // Below 1, where the short decimal does not hold, a decimal of 15 places that reads back as the double is the
            // shortest text's value by the same argument (it has at most 15 significant digits, an integer below 10^15
            // over 10^15): a unit price of ten places, 0.0000166667, which DuckDB renders with an exponent.
            var fine = $"abs({raw}) < 1 AND CAST(TRY_CAST({raw} AS DECIMAL(18,15)) AS DOUBLE) = {raw}";
            var fineValue = $"CAST(TRY_CAST({raw} AS DECIMAL(18,15)) AS {Money})";
            var others = $"WHEN {fine} THEN {fineValue} "
                         + $"WHEN NOT contains(lower({text}), 'e') AND (NOT contains({text}, '.') OR length({text}) - strpos({text}, '.') <= {ExactDecimal.MaxScale}) "
                         + $"THEN TRY_CAST({text} AS {Money})";
            return new Conversion($"CASE WHEN {holds} THEN CAST({shortDecimal} AS {Money}) {others} END", (v, _) => $"{v} IS NOT NULL", (shortDecimal, $"CASE WHEN abs({raw}) < 1e6 THEN TRY_CAST({raw} AS DECIMAL(18,9)) END"))
            {
                Flag = (holds, $"CAST({shortDecimal} AS DOUBLE) = {raw}"),
                FastValue = $"CAST(TRY_CAST({raw} AS DECIMAL(18,9)) AS {Money})",
                Split = ($"CASE WHEN {holds} THEN {shortDecimal} END", $"CASE WHEN {holds} THEN NULL {others} END"),
                FineFlag = $"CASE WHEN {holds} THEN true WHEN {fine} THEN true END",
                FineValue = $"CASE WHEN abs({raw}) < 1 THEN {fineValue} ELSE CAST(TRY_CAST({raw} AS DECIMAL(18,9)) AS {Money}) END",
            };
        }

        if (DecimalScale(type) is not { } decimalType || decimalType.Scale > ExactDecimal.MaxScale)
        {
            return null;
        }

        // DuckDB renders every place of the scale (1.500000000000000000), and the row path keeps at most 28 significant
        // digits of that text and 20 before the point: a value of 10^(28 - scale) or more is refused there.
        var digits = Math.Min(ExactDecimal.MaxIntegerDigits, ExactDecimal.MaxSignificantDigits - decimalType.Scale);
        Func<string, string, string> valid = decimalType.Precision - decimalType.Scale <= digits
            ? (_, _) => "true"
            : (_, r) => $"abs({r}) < CAST('1{new string('0', digits)}' AS DECIMAL({decimalType.Precision},{decimalType.Scale}))";
        return new Conversion($"CAST({raw} AS {Money})", valid);
    }

    private static (int Precision, int Scale)? DecimalScale(string type)
    {
        if (!type.StartsWith("DECIMAL(", StringComparison.Ordinal) || !type.EndsWith(')'))
        {
            return null;
        }

        var parts = type["DECIMAL(".Length..^1].Split(',');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var precision) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var scale)
            ? (precision, scale)
            : null;
    }

    private static string Hash(IEnumerable<string> values) => $"hash({string.Join(", ", values)})";

    private static string Literal(DateTime instant) => $"TIMESTAMP '{instant:yyyy-MM-dd HH:mm:ss}'";

    /// <summary>The rows grouped by description hash, null per-row values and period order, in order of their first row.</summary>
    private static List<AlikeRows> Groups(DuckDBConnection connection, string file, Plan plan, CancellationToken cancellationToken)
    {
        var perRow = plan.PerRow.ToList();
        // Two descriptions with one hash would be taken for one. A second hash of the same values in the other order tells
        // them apart (DuckDB's hash is not symmetric): every hash must come with one second hash, or the file is read row by
        // row. (Checking the distinct descriptions exactly took as long as the rest of the reading: they are 30 columns.)
        const string Key = "mm_key";
        var inner = new List<string> { $"{(plan.Key is null ? plan.Hash : Hash([Key, .. plan.Nested]))} AS h", $"{Hash(plan.Described.Reverse())} AS h2", "file_row_number AS rn" };
        var checks = new List<string>();

        // After the second hash: the group's smallest and largest key (one key, unless the hashes collided) when the plan
        // has one, then whether each column's flag held in every row (true for a column without one: never read), then
        // whether its fine flag did (false for a column without one).
        var after = new List<string>();
        var finer = new List<string>();
        if (plan.Key is not null)
        {
            inner.Add($"{Key} AS k");
            after.Add("min(k), max(k)");
        }

        // A split value (Conversion.Split) is s{k} and c{k}, otherwise c{k} alone.
        bool IsSplit(int k) => perRow[k].Converted.Split is not null;
        string IsNull(int k) => IsSplit(k) ? $"(s{k} IS NULL AND c{k} IS NULL)" : $"c{k} IS NULL";
        for (var k = 0; k < perRow.Count; k++)
        {
            inner.Add($"{perRow[k].Raw} AS r{k}");
            if (perRow[k].Converted.Split is { } split)
            {
                inner.Add($"{split.Short} AS s{k}");
                inner.Add($"{split.Others} AS c{k}");
            }
            else
            {
                inner.Add($"{perRow[k].Converted.Value} AS c{k}");
            }

            if (perRow[k].Converted.Flag is { } flag)
            {
                inner.Add($"{flag.Name} AS f{k}");
            }

            if (perRow[k].Converted.FineFlag is { } fine)
            {
                inner.Add($"{fine} AS g{k}");
            }

            after.Add(perRow[k].Converted.Flag is null ? "true" : $"bool_and(coalesce(f{k}, r{k} IS NULL))");
            finer.Add(perRow[k].Converted.FineFlag is null ? "false" : $"bool_and(coalesce(g{k}, r{k} IS NULL))");
            // NULL (a conversion that gave nothing) is not valid: bool_and would skip it. Checked over the converted value
            // a projection above, not over a second copy of its expression.
            var accepted = IsSplit(k) ? $"NOT {IsNull(k)}" : perRow[k].Converted.Valid($"c{k}", $"r{k}");
            checks.Add($"coalesce(r{k} IS NULL OR ({accepted}), false) AS ok{k}");
        }

        int At(string name) => perRow.FindIndex(p => p.Column.Name == name);
        string Of(string name) => At(name) is var k and >= 0 ? $"c{k}" : "NULL";
        var mask = string.Join(" + ", perRow.Select((_, k) => $"(CASE WHEN {IsNull(k)} THEN {1L << k} ELSE 0 END)"));
        var start = Of("ChargePeriodStart");
        var end = Of("ChargePeriodEnd");
        var ordered = start == "NULL" || end == "NULL" ? "NULL::BOOLEAN" : $"{end} > {start}";

        // Each cost column's two subtotals (AlikeRows.AddTo): of its short decimals and of the rest, or of all its values and none.
        static string Sum(string v) => $"CAST(coalesce(sum({v}), 0) AS VARCHAR), CAST(coalesce(sum(abs({v})), 0) AS VARCHAR)";
        var sums = string.Join(", ", CostColumns.Select(At).Select(k => k < 0
            ? "'0', '0', '0', '0'"
            : IsSplit(k) ? $"{Sum($"s{k}")}, {Sum($"c{k}")}" : $"{Sum($"c{k}")}, '0', '0'"));
        var valid = string.Join(" AND ", perRow.Select((_, k) => $"ok{k}"));
        var sql = $"""
            SELECT h, count(*), min(rn + 1, {FocusConformanceRules.FirstLinesKept}), bool_and({valid}), {sums},
                   min({start}), max({end}), h2, {string.Join(", ", after.Concat(finer))}
            FROM (SELECT *, {string.Join(", ", checks)} FROM (SELECT {string.Join(", ", inner)} FROM {Source(perRow, numbered: true, plan.Key is null ? [] : [(Key, plan.Key)])}))
            GROUP BY h, h2, {mask}, {ordered}
            ORDER BY min(rn)
            LIMIT {MaxGroups + 1}
            """;

        using var command = connection.CreateCommand();

        command.Parameters.Add(new DuckDBParameter("path", file));
        command.CommandText = sql;
        using var interrupt = cancellationToken.Register(command.Cancel);
        var groups = new List<AlikeRows>();
        var seconds = new Dictionary<ulong, ulong>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var hash = reader.GetFieldValue<ulong>(0);
            var secondAt = 6 + (CostColumns.Length * 4);
            var second = reader.GetFieldValue<ulong>(secondAt);
            if (seconds.TryGetValue(hash, out var known) ? known != second : !seconds.TryAdd(hash, second))
            {
                return [];
            }

            var texts = new string[CostColumns.Length * 4];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = reader.GetString(4 + i);
            }

            var at = 4 + texts.Length;
            var keyAt = secondAt + 1;
            var flagsAt = keyAt + (plan.Key is null ? 0 : 2);
            groups.Add(new AlikeRows(
                hash,
                reader.GetInt64(1),
                reader.GetFieldValue<List<long>>(2),
                !reader.IsDBNull(3) && reader.GetBoolean(3),
                texts,
                reader.IsDBNull(at) ? null : DateTime.SpecifyKind(reader.GetDateTime(at), DateTimeKind.Utc),
                reader.IsDBNull(at + 1) ? null : DateTime.SpecifyKind(reader.GetDateTime(at + 1), DateTimeKind.Utc))
            {
                Key = plan.Key is null ? hash : reader.GetFieldValue<ulong>(keyAt),
                OneKey = plan.Key is null || reader.GetFieldValue<ulong>(keyAt) == reader.GetFieldValue<ulong>(keyAt + 1),
                Fast = perRow.Select((_, k) => !reader.IsDBNull(flagsAt + k) && reader.GetBoolean(flagsAt + k)).ToArray(),
                Fine = perRow.Select((_, k) => !reader.IsDBNull(flagsAt + perRow.Count + k) && reader.GetBoolean(flagsAt + perRow.Count + k)).ToArray(),
            });
        }

        return groups;
    }

    /// <summary>A per-row column: its FOCUS column, the file's column (quoted), its value as stored and its check.</summary>
    private sealed record PerRow(FocusColumn Column, string Raw, Conversion Converted);

    /// <summary>
    /// The description's hash; its key (the hash of the description without its nested values, null when it has none or
    /// only those) and the nested values' hashes; the values the description hash reads; the per-row columns and their names.
    /// </summary>
    private sealed record Plan(string Hash, string? Key, IReadOnlyList<string> Nested, IReadOnlyList<string> Described, IReadOnlyList<PerRow> PerRow, IReadOnlyList<string> FactColumns)
    {
        /// <summary>
        /// The store's query (<see cref="ColumnarFacts.Select"/>): each row's description hash, or its key when
        /// <paramref name="byKey"/>, and its per-row values, each converted by its <see cref="Conversion.FastValue"/> where
        /// <paramref name="fast"/> says every row's flag held, by its <see cref="Conversion.FineValue"/> where
        /// <paramref name="fine"/> says every row's fine flag did.
        /// </summary>
        public string FactsSelect(bool byKey, bool[] fast, bool[] fine)
        {
            var values = PerRow.Select((p, k) => $"{(fast[k] ? p.Converted.FastValue : fine[k] ? p.Converted.FineValue : p.Converted.Value)} AS {ParquetRecordSource.Quote(p.Column.Name)}");
            var checkedValues = PerRow.Where((_, k) => !fast[k] && !fine[k]);
            return $"SELECT {(byKey ? Key : Hash)} AS {ColumnarFacts.HashColumn}, {string.Join(", ", values)} FROM {Source(checkedValues, numbered: false)}";
        }
    }
}

/// <summary>
/// A per-row value as the store keeps it: <paramref name="Value"/>, an expression over the file's column, the
/// <paramref name="Input"/> (a named expression computed a projection below it, when it has one) and the
/// <see cref="Flag"/>; and when the row path would read the same value and accept it: <paramref name="Valid"/>, given the
/// value's and the file column's expressions.
/// </summary>
internal sealed record Conversion(string Value, Func<string, string, string> Valid, (string Name, string Expression)? Input = null)
{
    /// <summary>A named boolean over the file's column and the input, computed a projection above the input, that the value reads.</summary>
    public (string Name, string Expression)? Flag { get; init; }

    /// <summary>The same value from the file's column alone, for a file in whose every row with a value the flag held.</summary>
    public string? FastValue { get; init; }

    /// <summary>
    /// Whether a row took the short path (the flag) or, below 1, the finer one: a decimal of 15 places that reads back as
    /// the double (part of <see cref="Value"/>). Computed by the grouping only where the flag did not hold (a CASE), so it
    /// costs nothing where it did. A unit price of ten places (0.0000166667) is finer than the short path's nine, not than
    /// this one's fifteen: the 1M-row DOUBLE bench files' two unit-price columns (31 rows of ten places each) were loaded
    /// with every row's checks, 30 ms of the load.
    /// </summary>
    public string? FineFlag { get; init; }

    /// <summary>
    /// The same value from the file's column alone, for a file in whose every row with a value <see cref="FineFlag"/> held:
    /// below 1 the 15-place decimal, otherwise the short path's 9-place one (<see cref="FastValue"/>). Below 1 the 15-place
    /// decimal is the shortest text's value in every such row. Where it reads back (the fine flag's own test), it has at
    /// most 15 significant digits, which no other decimal so short shares with the double (the short path's argument).
    /// Where the 9-place decimal read back instead (the fine flag was not tested), the 15-place one is that decimal:
    /// DuckDB casts a double to a decimal by rounding it times 10^15 to the nearest integer, and that decimal times
    /// 10^15, an integer below 2^53, lies within 0.12 of the product computed (the double's distance to it, below 2^-54,
    /// times 10^15, and the product's own rounding, half of 0.125), so nothing else is nearest. 20M doubles k / 10^9 below
    /// 1, by hand: every one the same decimal both ways.
    /// </summary>
    public string? FineValue { get; init; }

    /// <summary>
    /// The value as two columns for the grouping, which only counts, checks and sums it: <c>Short</c>, where the flag held,
    /// in the input's own narrower exact type, and <c>Others</c>, <see cref="Value"/> where it did not; at most one is not
    /// null, and the value is valid where one is not null (<see cref="Valid"/>: it is not null). Summed apart, the rows
    /// whose short decimal held are not each cast to DECIMAL(38,18): 55 ms of the 300 ms the 1M-row DOUBLE/MAP bench
    /// file's grouping took, by hand.
    /// </summary>
    public (string Short, string Others)? Split { get; init; }
}

/// <summary>Rows of one file alike in description, null per-row values and period order, and what they add up to.</summary>
internal sealed class AlikeRows(ulong hash, long rows, List<long> firstLines, bool valid, string[] sums, DateTime? firstStart, DateTime? lastEnd)
{
    public ulong Hash { get; } = hash;

    public long Rows { get; } = rows;

    /// <summary>The first rows' line numbers (1-based), ascending; the first is the row parsed for all of them.</summary>
    public List<long> FirstLines { get; } = [.. firstLines.Order()];

    /// <summary>Every value of every row passed the checks the row path makes.</summary>
    public bool Valid { get; } = valid;

    public DateTime? FirstStart { get; } = firstStart;

    /// <summary>The key of the group's rows (the plan's, else its hash) and whether they all had it.</summary>
    public ulong Key { get; init; }

    public bool OneKey { get; init; } = true;

    /// <summary>For each per-row column, whether its conversion's flag held in every row of the group that has a value.</summary>
    public bool[] Fast { get; init; } = [];

    /// <summary>For each per-row column, whether its conversion's fine flag held in every row of the group that has a value.</summary>
    public bool[] Fine { get; init; } = [];

    public DateTime? LastEnd { get; } = lastEnd;

    /// <summary>The group's first row, parsed.</summary>
    public LineItemRow Row { get; set; } = null!;

    /// <summary>The rules its rows break (rule-table indexes).</summary>
    public int[] Broken { get; set; } = [];

    /// <summary>Adds the group's cost subtotals to its currency's totals (already checked to be exact, by <see cref="AddTo(ExactSum[])"/>).</summary>
    public void AddTo(CurrencyTotals totals)
    {
        var sums = new[] { totals.BilledSum, totals.EffectiveSum, totals.ListSum, totals.ContractedSum };
        AddTo(sums);
        (totals.BilledSum, totals.EffectiveSum, totals.ListSum, totals.ContractedSum) = (sums[0], sums[1], sums[2], sums[3]);
    }

    /// <summary>
    /// Adds the group's BilledCost, EffectiveCost, ListCost and ContractedCost subtotals (two of each: a sum and a sum of
    /// absolute values, twice); false if one is not exact text.
    /// </summary>
    public bool AddTo(ExactSum[] totals)
    {
        for (var i = 0; i < totals.Length; i++)
        {
            if (!totals[i].TryAddSubtotal(sums[4 * i], sums[(4 * i) + 1]) || !totals[i].TryAddSubtotal(sums[(4 * i) + 2], sums[(4 * i) + 3]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A Parquet file read by columns (<see cref="ParquetColumns"/>): its groups of rows and the query the store runs.</summary>
internal sealed record ColumnarFile(IReadOnlyList<AlikeRows> Groups, ColumnarFacts Facts);
