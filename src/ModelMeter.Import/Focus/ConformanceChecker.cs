using System.Collections.Frozen;
using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Counts the FOCUS rules (<see cref="FocusConformanceRules.All"/>) broken by the rows of one read, across its files.
/// It runs in the import's hot loop: per row it compares spans and reads parsed slots, counts into an int array and
/// allocates only for the first few line numbers of each rule.
/// </summary>
internal sealed class ConformanceTally
{
    private static readonly IReadOnlyList<FocusConformanceRule> Rules = FocusConformanceRules.All;

    private readonly int[] _rows = new int[Rules.Count];
    private readonly List<SourceLine>?[] _firstLines = new List<SourceLine>?[Rules.Count];

    /// <summary>Rows that broke at least one rule.</summary>
    public long RowsWithFindings { get; private set; }

    /// <summary>The rules that apply to a file of this header and version, bound to its field positions.</summary>
    public FileConformance For(string file, FocusHeader header) => new(this, file, header);

    /// <summary>Every broken rule with its row count and first lines; rules stated differently per version share an id.</summary>
    public IReadOnlyList<ConformanceFinding> Findings()
    {
        var findings = new List<ConformanceFinding>();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            if (_rows[i] == 0)
            {
                continue;
            }

            var rule = Rules[i];
            var lines = _firstLines[i]!;
            if (byId.TryGetValue(rule.Id, out var at))
            {
                var earlier = findings[at];
                findings[at] = earlier with
                {
                    Rows = earlier.Rows + _rows[i],
                    FirstLines = earlier.FirstLines.Concat(lines).Take(FocusConformanceRules.FirstLinesKept).ToList(),
                };
                continue;
            }

            byId[rule.Id] = findings.Count;
            findings.Add(new ConformanceFinding(rule.Id, rule.Columns, rule.Text, _rows[i], lines.ToList()));
        }

        return findings;
    }

    private void Record(int rule, string file, long rows, IReadOnlyList<long> lines)
    {
        _rows[rule] = checked((int)(_rows[rule] + rows));
        var kept = _firstLines[rule] ??= new List<SourceLine>(FocusConformanceRules.FirstLinesKept);
        foreach (var line in lines)
        {
            // Lines of earlier files stay first; among this file's, the lowest are kept.
            var at = kept.Count;
            while (at > 0 && kept[at - 1].File == file && kept[at - 1].Line > line)
            {
                at--;
            }

            if (at < FocusConformanceRules.FirstLinesKept)
            {
                kept.Insert(at, new SourceLine(file, line));
                if (kept.Count > FocusConformanceRules.FirstLinesKept)
                {
                    kept.RemoveAt(kept.Count - 1);
                }
            }
        }
    }

    private void Record(int rule, string file, long line)
    {
        var count = ++_rows[rule];
        if (count <= FocusConformanceRules.FirstLinesKept)
        {
            (_firstLines[rule] ??= new List<SourceLine>(FocusConformanceRules.FirstLinesKept)).Add(new SourceLine(file, line));
        }
    }

    /// <summary>The rules of one file, with the field and slot positions they read.</summary>
    internal sealed class FileConformance
    {
        private static readonly int ChargeCategorySlot = FocusSchema.Get("ChargeCategory").Slot;
        private static readonly int ChargeClassSlot = FocusSchema.Get("ChargeClass").Slot;
        private static readonly int CommitmentStatusSlot = FocusSchema.Get("CommitmentDiscountStatus").Slot;

        private static readonly int Conditions = Enum.GetValues<ConformanceCondition>().Length;

        private readonly ConformanceTally _tally;
        private readonly string _file;

        // The rules reading only a row's description (FocusHeader.Describes) and those reading a per-row field. Rows that
        // share a description (LineItemRow.DescriptionKey) have the first part checked once: its findings are counted again
        // for each of them, and only the second part is checked row by row.
        private readonly Part _described;
        private readonly Part _perRow;
        private readonly Dictionary<long, int[]> _brokenByDescription = [];
        private readonly List<int> _broken = [];
        private const int MaxDescriptions = 1 << 16;

        public FileConformance(ConformanceTally tally, string file, FocusHeader header)
        {
            _tally = tally;
            _file = file;
            var version = FocusConformanceRules.VersionOf(header.Version);
            var bound = new List<Bound>();
            var notNull = new List<(int Field, int Rule)>();
            for (var i = 0; i < Rules.Count; i++)
            {
                var rule = Rules[i];
                var field = header.FieldOf(rule.Column);
                // A rule about a column the file does not have does not apply: FOCUS's presence rules are about the header.
                if ((rule.Versions & version) == 0 || field < 0)
                {
                    continue;
                }

                var other = rule.Other is null ? -1 : header.FieldOf(rule.Other);
                if (rule.Check is (ConformanceCheck.AfterOther or ConformanceCheck.ParentIsOther) && other < 0)
                {
                    continue;
                }

                if (rule is { Check: ConformanceCheck.NotNull, When: ConformanceCondition.Always })
                {
                    notNull.Add((field, i));
                    continue;
                }

                bound.Add(new Bound(
                    i, rule.Check, rule.When, field, other,
                    FocusSchema.Get(rule.Column).Slot, rule.Other is null ? -1 : FocusSchema.Get(rule.Other).Slot,
                    rule.Values?.GetAlternateLookup<ReadOnlySpan<char>>() ?? default,
                    rule.Parents?.GetAlternateLookup<ReadOnlySpan<char>>() ?? default));
            }

            // The conditions on the charge kind read ChargeCategory, ChargeClass and CommitmentDiscountStatus: descriptions.
            bool Described(int field, int other) => header.Describes(field) && (other < 0 || header.Describes(other));
            _described = new Part(notNull.Where(n => Described(n.Field, -1)).ToList(), bound.Where(b => Described(b.Field, b.OtherField)).ToList());
            _perRow = new Part(notNull.Where(n => !Described(n.Field, -1)).ToList(), bound.Where(b => !Described(b.Field, b.OtherField)).ToList());
        }

        /// <summary>
        /// Checks the record just parsed into <paramref name="row"/>: values as written from <paramref name="source"/>, and
        /// which FOCUS fields are null from the parser (<paramref name="nulls"/>), so no field is tested twice.
        /// </summary>
        public void Check(IFocusRecordSource source, LineItemRow row, ReadOnlySpan<bool> nulls)
        {
            Evaluate(source, row, nulls);
            foreach (var rule in _broken)
            {
                _tally.Record(rule, _file, source.Line);
            }

            if (_broken.Count > 0)
            {
                _tally.RowsWithFindings++;
            }
        }

        /// <summary>
        /// True when the rules that read a per-row field read only whether it is null, or the order of the charge period's
        /// two instants: then a row's findings follow from its description, which per-row fields are null and whether its
        /// period ends after it starts, and <see cref="Broken"/> of one row holds for every row alike in those.
        /// </summary>
        public bool PerRowReadsOnlyNullsAndOrder => _perRow.ReadsOnlyNullsAndOrder;

        /// <summary>The rules the record just parsed breaks (rule-table indexes), without counting them.</summary>
        public int[] Broken(IFocusRecordSource source, LineItemRow row, ReadOnlySpan<bool> nulls)
        {
            Evaluate(source, row, nulls);
            return _broken.ToArray();
        }

        /// <summary>
        /// Counts <paramref name="broken"/> (from <see cref="Broken"/>) for <paramref name="rows"/> rows of this file, whose
        /// first lines are <paramref name="firstLines"/> (ascending); lines counted out of file order are kept in order.
        /// </summary>
        public void Record(int[] broken, long rows, IReadOnlyList<long> firstLines)
        {
            foreach (var rule in broken)
            {
                _tally.Record(rule, _file, rows, firstLines);
            }

            if (broken.Length > 0)
            {
                _tally.RowsWithFindings += rows;
            }
        }

        private void Evaluate(IFocusRecordSource source, LineItemRow row, ReadOnlySpan<bool> nulls)
        {
            // The row's charge kind, once: which of the conditions that read only ChargeCategory, ChargeClass and
            // CommitmentDiscountStatus hold. Conditions on another column are evaluated per rule below.
            var category = row.Text[ChargeCategorySlot];
            var usage = category == "Usage";
            var correction = row.Text[ChargeClassSlot] == "Correction";
            var unused = string.Equals(row.Text[CommitmentStatusSlot], "Unused", StringComparison.OrdinalIgnoreCase);
            Span<bool> holds = stackalloc bool[Conditions];
            holds[(int)ConformanceCondition.Always] = true;
            holds[(int)ConformanceCondition.ChargeCategoryIsTax] = category == "Tax";
            holds[(int)ConformanceCondition.ChargeCategoryIsPurchase] = category == "Purchase";
            holds[(int)ConformanceCondition.ChargeCategoryIsNotUsage] = category is not null && !usage;
            holds[(int)ConformanceCondition.UsageOrPurchaseNotCorrection] = (usage || category == "Purchase") && !correction;
            holds[(int)ConformanceCondition.UsageNotCorrection] = usage && !correction;
            holds[(int)ConformanceCondition.UsageNotUnusedNotCorrection] = usage && !unused && !correction;
            holds[(int)ConformanceCondition.NotUsageOrUnusedCommitment] = category is not null && (!usage || unused);

            _broken.Clear();
            var key = row.DescriptionKey;
            if (key == 0)
            {
                _described.Check(source, row, nulls, holds, usage, _broken);
            }
            else if (_brokenByDescription.TryGetValue(key, out var known))
            {
                _broken.AddRange(known);
            }
            else
            {
                _described.Check(source, row, nulls, holds, usage, _broken);
                if (_brokenByDescription.Count < MaxDescriptions)
                {
                    _brokenByDescription[key] = _broken.ToArray();
                }
            }

            _perRow.Check(source, row, nulls, holds, usage, _broken);
        }

        /// <summary>A set of rules bound to a file: the not-null field tests, then the others.</summary>
        private sealed class Part
        {
            // Most rules are "column MUST NOT be null" on every row: a field test each, kept apart from the rest.
            private readonly int[] _notNullFields;
            private readonly int[] _notNullRules;
            private readonly Bound[] _rules;

            // Per OneOf rule, the last value found allowed (an instance of the set): bills repeat values row after row.
            private readonly string?[] _lastAllowed;

            public bool ReadsOnlyNullsAndOrder => _rules.All(r => r.Check is ConformanceCheck.NotNull or ConformanceCheck.Null or ConformanceCheck.AfterOther);

            public Part(List<(int Field, int Rule)> notNull, List<Bound> rules)
            {
                _notNullFields = notNull.Select(n => n.Field).ToArray();
                _notNullRules = notNull.Select(n => n.Rule).ToArray();
                _rules = rules.ToArray();
                _lastAllowed = new string?[_rules.Length];
            }

            /// <summary>Adds the rules the row breaks to <paramref name="broken"/>.</summary>
            public void Check(IFocusRecordSource source, LineItemRow row, ReadOnlySpan<bool> nulls, ReadOnlySpan<bool> holds, bool usage, List<int> broken)
            {
                for (var i = 0; i < _notNullFields.Length; i++)
                {
                    if (nulls[_notNullFields[i]])
                    {
                        broken.Add(_notNullRules[i]);
                    }
                }

                for (var i = 0; i < _rules.Length; i++)
                {
                    ref readonly var rule = ref _rules[i];
                    var applies = rule.When switch
                    {
                        ConformanceCondition.OtherIsNull => rule.OtherField < 0 || nulls[rule.OtherField],
                        ConformanceCondition.OtherIsNotNull => rule.OtherField >= 0 && !nulls[rule.OtherField],
                        ConformanceCondition.OtherIsNotNullAndUsage => usage && rule.OtherField >= 0 && !nulls[rule.OtherField],
                        var condition => holds[(int)condition],
                    };
                    if (applies && !Holds(in rule, ref _lastAllowed[i], source, row, nulls[rule.Field]))
                    {
                        broken.Add(rule.Rule);
                    }
                }
            }
        }

        private static bool Holds(in Bound rule, ref string? lastAllowed, IFocusRecordSource source, LineItemRow row, bool isNull)
        {
            if (rule.Check == ConformanceCheck.NotNull)
            {
                return !isNull;
            }

            if (rule.Check == ConformanceCheck.Null)
            {
                return isNull;
            }

            if (isNull)
            {
                return true;
            }

            var text = source[rule.Field].Trim();
            switch (rule.Check)
            {
                case ConformanceCheck.OneOf:
                    if (lastAllowed is not null && text.SequenceEqual(lastAllowed))
                    {
                        return true;
                    }

                    if (rule.Values.TryGetValue(text, out var allowed))
                    {
                        lastAllowed = allowed;
                        return true;
                    }

                    return false;
                case ConformanceCheck.NotEqual:
                    foreach (var forbidden in rule.Values.Set)
                    {
                        if (text.Equals(forbidden, StringComparison.OrdinalIgnoreCase))
                        {
                            return false;
                        }
                    }

                    return true;
                case ConformanceCheck.CurrencyFormat:
                    return Core.Monetary.Currency.IsWellFormed(text);
                case ConformanceCheck.AfterOther:
                    return row.Timestamps[rule.Slot] is not { } end || row.Timestamps[rule.OtherSlot] is not { } start || end > start;
                case ConformanceCheck.ParentIsOther:
                    // An unknown value is ServiceSubcategory-C-003-M's finding, not this one's.
                    return !rule.Parents.TryGetValue(text, out var parent) || source[rule.OtherField].Trim().SequenceEqual(parent);
                default:
                    return true;
            }
        }

        private readonly record struct Bound(
            int Rule,
            ConformanceCheck Check,
            ConformanceCondition When,
            int Field,
            int OtherField,
            int Slot,
            int OtherSlot,
            FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Values,
            FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Parents);
    }
}

/// <summary>A line (or Parquet row) of an input file.</summary>
public sealed record SourceLine(string File, long Line);

/// <summary>
/// A FOCUS rule the files break, as the FOCUS validator reports it: the rule, the columns it reads, its text, how many
/// rows break it and where the first of them are. The rows were imported as written.
/// </summary>
public sealed record ConformanceFinding(string Rule, IReadOnlyList<string> Columns, string Message, long Rows, IReadOnlyList<SourceLine> FirstLines);
