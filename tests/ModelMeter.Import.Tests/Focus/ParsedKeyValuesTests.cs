using System.Text;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>Tag documents are read without a JSON document when they are flat; what comes out is the JSON parser's.</summary>
public sealed class ParsedKeyValuesTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData(" \t\r\n{ \n} \n")]
    [InlineData("{\"team\":\"nlp\"}")]
    [InlineData("{\"team\" : \"nlp\" , \"gpu\" : 8 , \"spot\" : true, \"preemptible\": false, \"note\": null}")]
    [InlineData("{\"a\":-0,\"b\":0.5,\"c\":-12.25e+3,\"d\":1E9,\"e\":7e-2,\"f\":\"\"}")]
    [InlineData("{\"team\":\"nlp\",\"team\":\"search\"}")]
    [InlineData("{\"Équipe\":\"données\",\"user:Cost Center\":\" CC-100 \"}")]
    [InlineData("{\"job\":\"job-000017\",\"ticket\":\"T-000000017\",\"model\":\"ranker-v3\",\"environment\":\"Prod\"}")]
    public void AFlatDocument_IsReadWithoutTheJsonParser_ToTheSamePairsAndHierarchy(string text)
    {
        var flat = ParsedKeyValues.TryParseFlat(text);

        flat.ShouldNotBeNull();
        AssertSame(flat, ParsedKeyValues.ParseDocument(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("\"team\"")]
    [InlineData("{\"team\":\"nlp\",}")]
    [InlineData("{\"team\" \"nlp\"}")]
    [InlineData("{\"team\":nlp}")]
    [InlineData("{team:\"nlp\"}")]
    [InlineData("{\"team\":\"nlp\"} x")]
    [InlineData("{\"team\":\"nlp\"")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{\"a\":-}")]
    [InlineData("{\"a\":1e}")]
    [InlineData("{\"a\":+1}")]
    [InlineData("{\"a\":truex}")]
    [InlineData("{\"a\":nul}")]
    [InlineData("{\"a\":{\"b\":\"c\"}}")]
    [InlineData("{\"a\":[1]}")]
    [InlineData("{\"a\":\"tab\there\"}")]
    [InlineData("{\"a\":\"quote \\\" inside\"}")]
    [InlineData("{\"a\":\"\\u00e9t\\u00e9\"}")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"emoji\":\"\U0001F680\"}")]
    public void ADocumentTheFlatReadingDoesNotTake_IsLeftToTheJsonParser_WhichGivesTheSameAsBefore(string text)
    {
        ParsedKeyValues.TryParseFlat(text).ShouldBeNull();
        AssertSame(ParsedKeyValues.Parse(text), ParsedKeyValues.ParseDocument(text));
    }

    [Fact]
    public void RandomFlatDocuments_ReadFlat_AreWhatTheJsonParserReads()
    {
        var random = new Random(20261203);
        string[] words = ["team", "Team", "user:team", "env", "model_name", "cost_center", "job", "a b", "ünï", "x-y.z/w", ""];
        for (var n = 0; n < 2_000; n++)
        {
            var text = new StringBuilder(Space(random)).Append('{');
            var pairs = random.Next(0, 8);
            for (var i = 0; i < pairs; i++)
            {
                if (i > 0)
                {
                    text.Append(Space(random)).Append(',');
                }

                text.Append(Space(random)).Append('"').Append(words[random.Next(words.Length)]).Append('"').Append(Space(random)).Append(':').Append(Space(random));
                text.Append(random.Next(6) switch
                {
                    0 => "true",
                    1 => "false",
                    2 => "null",
                    3 => (random.NextDouble() * 1e6 * (random.Next(2) == 0 ? -1 : 1)).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    4 => random.Next(-5000, 5000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => $"\"{words[random.Next(words.Length)]} {random.Next()}\"",
                });
            }

            text.Append(Space(random)).Append('}').Append(Space(random));
            var flat = ParsedKeyValues.TryParseFlat(text.ToString());
            flat.ShouldNotBeNull(text.ToString());
            AssertSame(flat, ParsedKeyValues.ParseDocument(text.ToString()));
        }
    }

    private static string Space(Random random) => random.Next(4) switch
    {
        0 => " ",
        1 => "\n\t ",
        2 => "\r\n",
        _ => string.Empty,
    };

    private static void AssertSame(ParsedKeyValues actual, ParsedKeyValues expected)
    {
        actual.Error.ShouldBe(expected.Error);
        actual.Pairs.Keys.ShouldBe(expected.Pairs.Keys);
        actual.Pairs.Values.ShouldBe(expected.Pairs.Values);
        actual.Hierarchy.ShouldBe(expected.Hierarchy);
    }
}
