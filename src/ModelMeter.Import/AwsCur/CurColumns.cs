using System.Text;

namespace ModelMeter.Import.AwsCur;

/// <summary>
/// One spelling for every CUR column. Legacy CUR names columns <c>category/Name</c> (<c>lineItem/UnblendedCost</c>,
/// <c>savingsPlan/SavingsPlanARN</c>); its Athena and Parquet deliveries, and CUR 2.0, write the same columns in snake
/// case, splitting every capital (<c>line_item_unblended_cost</c>, <c>savings_plan_savings_plan_a_r_n</c>). The mapper
/// looks columns up by the snake-case name; a legacy name is turned into it by the same rule.
/// </summary>
internal static class CurColumns
{
    /// <summary>What a header field is: a column under its snake-case name, a resource tag (with its key) or a cost category.</summary>
    public readonly record struct Column(string Name, string? TagKey, bool IsCostCategory);

    public static Column Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var name = header.Trim();
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var category = name[..slash];
            var attribute = name[(slash + 1)..];
            if (category.Equals("resourceTags", StringComparison.OrdinalIgnoreCase))
            {
                // resourceTags/user:team: the key is the tag's own, with AWS's user: or aws: namespace.
                return new Column("", attribute, false);
            }

            if (category.Equals("costCategory", StringComparison.OrdinalIgnoreCase))
            {
                return new Column("", null, true);
            }

            return new Column(Snake(category) + "_" + Snake(attribute), null, false);
        }

        var lower = name.ToLowerInvariant();
        if (lower.StartsWith(ResourceTagsPrefix, StringComparison.Ordinal))
        {
            // Athena and Parquet legacy columns: resource_tags_user_team is resourceTags/user:team.
            return new Column("", TagKeyOf(lower[ResourceTagsPrefix.Length..]), false);
        }

        if (lower.StartsWith("cost_category_", StringComparison.Ordinal))
        {
            return new Column("", null, true);
        }

        return new Column(lower, null, false);
    }

    /// <summary>
    /// A CUR 2.0 <c>resource_tags</c> map key (<c>user_team</c>, <c>aws_created_by</c>) or a legacy snake-case tag column's
    /// rest as the tag key with its namespace (<c>user:team</c>, <c>aws:created_by</c>), as legacy CSV names it, so the
    /// tag policy drops the namespace the same way whichever CUR it came from.
    /// </summary>
    public static string TagKeyOf(string snakeKey)
    {
        ArgumentNullException.ThrowIfNull(snakeKey);
        foreach (var ns in Namespaces)
        {
            if (snakeKey.StartsWith(ns + "_", StringComparison.OrdinalIgnoreCase) && snakeKey.Length > ns.Length + 1)
            {
                return ns + ":" + snakeKey[(ns.Length + 1)..];
            }
        }

        return snakeKey;
    }

    /// <summary><c>UnblendedCost</c> → <c>unblended_cost</c>, <c>SavingsPlanARN</c> → <c>savings_plan_a_r_n</c>.</summary>
    public static string Snake(string camel)
    {
        ArgumentNullException.ThrowIfNull(camel);
        var text = new StringBuilder(camel.Length + 8);
        for (var i = 0; i < camel.Length; i++)
        {
            var c = camel[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private const string ResourceTagsPrefix = "resource_tags_";

    private static readonly string[] Namespaces = ["user", "aws"];
}
