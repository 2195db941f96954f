using System.Globalization;
using System.Text;

namespace ModelMeter.Import.Demo;

/// <summary>
/// The demo organisation's costs outside the cloud bill for its month, as an <c>import costs</c> CSV: each team's ML
/// engineers (fully loaded monthly cost), the search and vision teams' labelling batches, a clickstream data licence,
/// and the platform's tooling (experiment tracking seats, model monitoring). Tagged with team and product as the bill
/// is, so <c>tco --by tag:product</c> puts people and cloud side by side.
/// </summary>
public static class DemoInternalCosts
{
    public static string Csv(DateOnly month)
    {
        var period = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        string Day(int day) => month.AddDays(day - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = new StringBuilder("date,period,amount,currency,category,description,charge_category,team,product,cost_center\n");
        void Line(string date, string monthText, string amount, string category, string description, string charge, string team, string product, string costCenter) =>
            text.Append(CultureInfo.InvariantCulture, $"{date},{monthText},{amount},USD,{category},{description},{charge},{team},{product},{costCenter}\n");

        Line("", period, "38500.00", "personnel", "ML engineers (3.5 FTE)", "Usage", "search", "search", "CC-100");
        Line("", period, "33000.00", "personnel", "ML engineers (3 FTE)", "Usage", "nlp", "assistant", "CC-100");
        Line("", period, "22000.00", "personnel", "ML engineers (2 FTE)", "Usage", "vision", "catalog-vision", "CC-200");
        Line("", period, "27500.00", "personnel", "ML engineers (2.5 FTE)", "Usage", "recsys", "feed", "CC-100");
        Line("", period, "44000.00", "personnel", "ML platform engineers (4 FTE)", "Usage", "platform", "shared-gpu-cluster", "CC-300");
        Line(Day(6), "", "6400.00", "data_labelling", "Relevance judgements (32k query-document pairs)", "Purchase", "search", "search", "CC-100");
        Line(Day(13), "", "9250.00", "data_labelling", "Bounding boxes for the catalogue detector (18.5k images)", "Purchase", "vision", "catalog-vision", "CC-200");
        Line(Day(1), "", "4800.00", "data_acquisition", "Clickstream panel licence (monthly)", "Purchase", "recsys", "feed", "CC-100");
        Line("", period, "3600.00", "licences", "Experiment tracking seats (24)", "Usage", "platform", "shared-gpu-cluster", "CC-300");
        Line("", period, "1450.00", "monitoring", "Model monitoring service", "Usage", "platform", "observability", "CC-300");
        return text.ToString();
    }
}
